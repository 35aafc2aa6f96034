// Move (issue 16, a layout migration): a folder to another folder or repository with every reference across the fleet
// in one plan, proven by rendering every context before and after; what cannot follow safely is refused with the reason.
// Each test asserts the exact edits and moves, applies the plan on disk, and compares every context's rendered output
// (the engine's, loaded from disk again) with the output before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet, type Materialized } from '../helpers/fixture';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';
import { applyPlan, move, type OperationAnswer, type OperationPlan } from '../../server/src/ide';
import { main } from '../../server/src/cli';
import type { Fleet } from '../../server/src/core/model';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { linkName } from '../../server/src/core/evaluate/contextId';
import { printResources } from '../../server/src/core/kustomize/output';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { Fleet as FleetModel } from '../../server/src/core/model';
import { parseMappingKey } from '../../server/src/core/fleetConfig';
import { tempDir } from '../helpers/tempDir';

const GIT = (url: string) => `[remote "origin"]\n\turl = ${url}\n`;

/** The platform repository (a Git clone of https://example.com/platform on main), bootstrapped at clusters/prod. */
const PLATFORM = `
//- platform/.git/config
${GIT('https://example.com/platform')}
//- platform/clusters/prod/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {url: https://example.com/platform, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec:
  path: ./clusters/prod
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  path: ./apps/prod
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/apps/prod/kustomization.yaml
resources:
  - ../base/web
//- platform/apps/base/web/kustomization.yaml
namespace: web
resources: [deploy.yaml]
//- platform/apps/base/web/deploy.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data: {color: blue}
`;

function plan(answer: OperationAnswer): OperationPlan {
  assert.ok(!('refused' in answer), 'refused' in answer ? answer.refused : '');
  return answer;
}

function refusal(answer: OperationAnswer): string {
  assert.ok('refused' in answer, `expected a refusal, got ${JSON.stringify(answer)}`);
  return answer.refused;
}

/** `file: "old" → "new"` per edit and `from → to` per move, relative to the fixture. */
function described(m: Materialized, p: OperationPlan): { edits: string[]; moves: string[] } {
  const rel = (f: string) => path.relative(m.dir, f);
  return {
    edits: p.edits.map((e) => `${rel(e.file)}: ${JSON.stringify(fs.readFileSync(e.file, 'utf8').slice(e.span.start, e.span.end))} → ${JSON.stringify(e.newText)}`),
    moves: p.moves.map((x) => `${rel(x.from)} → ${rel(x.to)}`),
  };
}

/** Every context's rendered output, by its chain of Kustomizations (a moved root keeps its chain; every cluster's root is flux-system/flux-system, so each chain holds the sorted outputs of its contexts). */
function renders(fleet: Fleet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of allContexts(fleet, rootKustomizations(fleet))) {
    const key = c.id.chain.map(linkName).join(' > ');
    out.set(key, [...(out.get(key) ?? []), printResources(c.build.resources)].sort());
  }
  return out;
}

/**
 * Applies the plan on disk and loads the fleet again: every context renders what it rendered before, with only the
 * path fields the move rewrites (`rewritten`: old text → new text in the rendered output) changed; no link finding.
 */
function applyAndCompare(m: Materialized, fleet: Fleet, p: OperationPlan, rewritten: Array<[string, string]> = [], roots?: string[]): Fleet {
  const before = renders(fleet);
  assert.ok(before.size > 0);
  assert.deepEqual(applyPlan(p, (f) => fleet.facts.get(f)?.text ?? fs.readFileSync(f, 'utf8')), { ok: true });
  for (const mv of p.moves) assert.equal(fs.existsSync(mv.from), false, `${mv.from} is still there`);
  const after = loadFleet(m.dir, roots);
  const expected = new Map([...before].map(([k, v]) => [k, v.map((x) => rewritten.reduce((t, [a, b]) => t.split(a).join(b), x)).sort()]));
  assert.deepEqual(renders(after), expected);
  assert.deepEqual(after.links.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code} ${path.relative(m.dir, f.file)}`), []);
  return after;
}

test('an app folder moved inside its repository: the overlay path into it follows; every context renders the same', () => {
  const m = materialize(PLATFORM);
  const fleet = loadFleet(m.dir);
  const p = plan(move(fleet, m.file('platform/apps/base/web'), m.file('platform/apps/base/site')));
  assert.deepEqual(described(m, p), {
    edits: ['platform/apps/prod/kustomization.yaml: "../base/web" → "../base/site"'],
    moves: ['platform/apps/base/web/deploy.yaml → platform/apps/base/site/deploy.yaml', 'platform/apps/base/web/kustomization.yaml → platform/apps/base/site/kustomization.yaml'],
  });
  assert.equal(p.notes[0], 'every context renders the same: 1 context');
  assert.ok(p.notes.includes('no new finding'));
  applyAndCompare(m, fleet, p);
  assert.deepEqual(p.removedFolders, [m.file('platform/apps/base/web')]);
  assert.equal(fs.existsSync(m.file('platform/apps/base/web')), false, 'the emptied folder is removed');
});

test("an overlay moved: Flux spec.path and spec.components follow, and the moved files' paths to the outside are rewritten", () => {
  const m = materialize(
    PLATFORM.replace('  path: ./apps/prod\n', '  path: ./apps/prod\n  components: [../components/extra]\n') +
      `
//- platform/apps/prod/settings.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: web}
data: {a: b}
//- platform/apps/prod/kustomization.yaml
resources:
  - ../base/web
  - ./settings.yaml
patches:
  - path: ../patches/color.yaml
configMapGenerator:
  - name: env
    namespace: web
    files: [config.txt=files/prod.txt]
generatorOptions: {disableNameSuffixHash: true}
//- platform/apps/patches/color.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: web, namespace: web}
data: {color: green}
//- platform/apps/prod/files/prod.txt
level=debug
//- platform/apps/components/extra/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [extra.yaml]
//- platform/apps/components/extra/extra.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: extra, namespace: web}
`,
  );
  const fleet = loadFleet(m.dir);
  const p = plan(move(fleet, m.file('platform/apps/prod'), m.file('platform/overlays/production')));
  assert.deepEqual(described(m, p).edits, [
    'platform/apps/prod/kustomization.yaml: "../base/web" → "../../apps/base/web"',
    'platform/apps/prod/kustomization.yaml: "../patches/color.yaml" → "../../apps/patches/color.yaml"',
    'platform/clusters/prod/apps.yaml: "./apps/prod" → "./overlays/production"',
    'platform/clusters/prod/apps.yaml: "../components/extra" → "../../apps/components/extra"',
  ]);
  assert.deepEqual(described(m, p).moves, [
    'platform/apps/prod/files/prod.txt → platform/overlays/production/files/prod.txt',
    'platform/apps/prod/kustomization.yaml → platform/overlays/production/kustomization.yaml',
    'platform/apps/prod/settings.yaml → platform/overlays/production/settings.yaml',
  ]);
  assert.match(p.notes[0], /^every context renders the same: 2 contexts \(apart from the 2 path and source fields the move rewrites\)$/);
  applyAndCompare(m, fleet, p, [
    ['path: ./apps/prod', 'path: ./overlays/production'],
    ['- ../components/extra', '- ../../apps/components/extra'],
  ]);
});

test('a remote base naming the moved folder by its URL follows (the working branch); one pinned to a tag refuses', () => {
  const spec =
    PLATFORM +
    `
//- platform/.git/HEAD
ref: refs/heads/main
//- platform/apps/prod/kustomization.yaml
resources:
  - https://example.com/platform//apps/base/web?ref=main
`;
  const m = materialize(spec);
  const fleet = loadFleet(m.dir);
  const p = plan(move(fleet, m.file('platform/apps/base/web'), m.file('platform/apps/shared/web')));
  assert.deepEqual(described(m, p).edits, ['platform/apps/prod/kustomization.yaml: "https://example.com/platform//apps/base/web?ref=main" → "https://example.com/platform//apps/shared/web?ref=main"']);
  applyAndCompare(m, fleet, p);

  const pinned = materialize(spec.replace('?ref=main', '?ref=v1.2.0'));
  assert.match(refusal(move(loadFleet(pinned.dir), pinned.file('platform/apps/base/web'), pinned.file('platform/apps/shared/web'))), /pins \?ref=v1\.2\.0, a revision that keeps the old layout/);
});

test("into another repository: spec.path and sourceRef switch to the source that serves it, the moved files' paths stay", () => {
  const m = materialize(
    PLATFORM +
      `
//- apps/.git/config
${GIT('https://example.com/apps')}
//- platform/clusters/prod/sources.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: apps-repo, namespace: flux-system}
spec: {url: https://example.com/apps, ref: {branch: main}}
//- platform/clusters/prod/team.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: team, namespace: flux-system}
spec:
  path: "./teams/blue"
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/teams/blue/kustomization.yaml
resources: [app.yaml, ./config]
//- platform/teams/blue/app.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: blue, namespace: blue}
//- platform/teams/blue/config/kustomization.yaml
resources: [cm.yaml]
//- platform/teams/blue/config/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: blue-config, namespace: blue}
`,
  );
  const fleet = loadFleet(m.dir);
  const p = plan(move(fleet, m.file('platform/teams/blue'), m.file('apps/tenants/blue')));
  assert.deepEqual(described(m, p), {
    edits: ['platform/clusters/prod/team.yaml: "./teams/blue" → "./tenants/blue"', 'platform/clusters/prod/team.yaml: "flux-system" → "apps-repo"'],
    moves: [
      'platform/teams/blue/app.yaml → apps/tenants/blue/app.yaml',
      'platform/teams/blue/config/cm.yaml → apps/tenants/blue/config/cm.yaml',
      'platform/teams/blue/config/kustomization.yaml → apps/tenants/blue/config/kustomization.yaml',
      'platform/teams/blue/kustomization.yaml → apps/tenants/blue/kustomization.yaml',
    ],
  });
  applyAndCompare(m, fleet, p, [
    ['path: ./teams/blue', 'path: ./tenants/blue'],
    ['path: ./tenants/blue\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system', 'path: ./tenants/blue\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: apps-repo'],
  ]);
  // A path from a moved file to its old repository cannot follow into another one.
  const m2 = materialize(PLATFORM + `\n//- apps/.git/config\n${GIT('https://example.com/apps')}\n`);
  assert.match(refusal(move(loadFleet(m2.dir), m2.file('platform/apps/prod'), m2.file('apps/prod'))), /apps\/prod\/kustomization\.yaml:2: resources '\.\.\/base\/web' would have to leave the repository apps/);
});

test('the clusters folder moved: each root Kustomization\'s own spec.path follows; the moved roots are matched by their document, not their folder', () => {
  const staging = PLATFORM.slice(PLATFORM.indexOf('//- platform/clusters/prod/flux-system/gotk-sync.yaml'), PLATFORM.indexOf('//- platform/apps/prod/kustomization.yaml')).split('clusters/prod').join('clusters/staging');
  const m = materialize(PLATFORM + staging);
  const fleet = loadFleet(m.dir);
  const p = plan(move(fleet, m.file('platform/clusters'), m.file('platform/fleet/clusters')));
  assert.deepEqual(described(m, p).edits, [
    'platform/clusters/prod/flux-system/gotk-sync.yaml: "./clusters/prod" → "./fleet/clusters/prod"',
    'platform/clusters/staging/flux-system/gotk-sync.yaml: "./clusters/staging" → "./fleet/clusters/staging"',
  ]);
  assert.match(p.notes[0], /^every context renders the same: 4 contexts \(apart from the 2 path and source fields the move rewrites\)$/);
  assert.deepEqual(p.removedFolders?.map((d) => path.relative(m.dir, d)), ['platform/clusters/prod/flux-system', 'platform/clusters/staging/flux-system', 'platform/clusters/prod', 'platform/clusters/staging', 'platform/clusters']);
  applyAndCompare(m, fleet, p, [
    ['path: ./clusters/prod', 'path: ./fleet/clusters/prod'],
    ['path: ./clusters/staging', 'path: ./fleet/clusters/staging'],
  ]);
});

test('a HelmRelease chart kept in a Git source follows the moved chart folder', () => {
  const m = materialize(
    PLATFORM +
      `
//- platform/apps/prod/kustomization.yaml
resources: [../base/web, release.yaml]
//- platform/apps/prod/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: web}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
//- platform/charts/web/Chart.yaml
apiVersion: v2
name: web
version: 1.0.0
//- platform/charts/web/values.yaml
replicas: 1
`,
  );
  const fleet = loadFleet(m.dir);
  const p = plan(move(fleet, m.file('platform/charts/web'), m.file('platform/helm/web')));
  assert.deepEqual(described(m, p).edits, ['platform/apps/prod/release.yaml: "./charts/web" → "./helm/web"']);
  applyAndCompare(m, fleet, p, [['chart: ./charts/web', 'chart: ./helm/web']]);
});

test('.flux-fleet.yaml: a mapped folder moves with its mapping; tenant paths and lock allowIn globs follow', () => {
  const m = materialize(
    PLATFORM +
      `
//- platform/.flux-fleet.yaml
repositories:
  https://example.com/team: ./clones/team
tenants:
  - name: team
    paths: [clones/team]
    namespaces: [team]
locks:
  - kinds: [ConfigMap]
    paths: [data.color]
    allowIn: [platform/clones/team/**, platform/apps/**]
//- platform/clusters/prod/team.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: team, namespace: flux-system}
spec: {url: https://example.com/team, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: team, namespace: flux-system}
spec:
  path: ./deploy
  prune: true
  sourceRef: {kind: GitRepository, name: team}
//- platform/clones/team/deploy/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: team, namespace: team}
`,
  );
  const fleet = loadFleet(m.dir);
  const p = plan(move(fleet, m.file('platform/clones/team'), m.file('platform/vendor/team')));
  assert.deepEqual(described(m, p).edits, [
    'platform/.flux-fleet.yaml: "./clones/team" → "./vendor/team"',
    'platform/.flux-fleet.yaml: "clones/team" → "vendor/team"',
    'platform/.flux-fleet.yaml: "platform/clones/team/**" → "platform/vendor/team/**"',
  ]);
  applyAndCompare(m, fleet, p);
});

test('refusals, each with its reason: a target that exists, a path built from a variable, a folder Flux generates a kustomization for, an unseen revision, a rendering that changes', () => {
  const m = materialize(
    PLATFORM.replace('  path: ./clusters/prod\n', '  path: ./clusters/prod\n  postBuild: {substitute: {CLUSTER: prod}}\n') +
      `
//- platform/clusters/prod/vars.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: env, namespace: flux-system}
spec:
  path: ./envs/\${CLUSTER}
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/envs/dev/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: env-dev, namespace: web}
//- platform/envs/prod/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: env, namespace: web}
//- platform/clusters/prod/raw.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: raw, namespace: flux-system}
spec:
  path: ./raw
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/raw/one/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: one, namespace: raw}
//- platform/raw/two/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: two, namespace: raw}
//- platform/.sourceignore
raw/ignored/
`,
  );
  const fleet = loadFleet(m.dir);
  const go = (from: string, to: string) => refusal(move(fleet, m.file(from), m.file(to)));
  assert.match(go('platform/apps/base/web', 'platform/apps/prod'), /^platform\/apps\/prod exists: a move never overwrites/);
  assert.match(go('platform/apps/base/web', 'platform/apps/base/web/inner'), /is inside platform\/apps\/base\/web/);
  assert.match(go('platform/envs/prod', 'platform/environments/prod'), /vars\.yaml:5: Kustomization flux-system\/env's spec\.path '\.\/envs\/\$\{CLUSTER\}' is built from a variable, and in platform\/clusters\/prod\/flux-system: flux-system\/flux-system > flux-system\/env it names platform\/envs\/prod/);
  // A folder the variable could name but no context does: the move goes (the render proof holds).
  assert.deepEqual(plan(move(fleet, m.file('platform/envs/dev'), m.file('platform/retired/dev'))).edits, []);
  assert.match(go('platform/raw/one', 'platform/other/one'), /Kustomization flux-system\/raw deploys platform\/raw without a kustomization\.yaml/);
  // Inside the same generated folder, but where .sourceignore hides it: only the rendering tells.
  assert.match(go('platform/raw/two', 'platform/raw/ignored/two'), /^The move would change what is deployed: in .*flux-system\/raw, ConfigMap raw\/two would be gone/);
  assert.match(go('platform', 'platform2'), /holds the repository platform/);

  // The moved folder's repository at a branch the workspace does not hold.
  const m2 = materialize(
    PLATFORM.replace(`//- platform/.git/config\n${GIT('https://example.com/platform')}`, '') +
      `
//- platform/clusters/prod/other.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: release, namespace: flux-system}
spec: {url: https://example.com/platform, ref: {branch: release}}
//- platform/.flux-fleet.yaml
repositories:
  https://example.com/platform#main: .
//- platform/clusters/prod/release.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: release, namespace: flux-system}
spec:
  path: ./apps/prod
  prune: true
  sourceRef: {kind: GitRepository, name: release}
`,
  );
  assert.match(refusal(move(loadFleet(m2.dir), m2.file('platform/apps/prod'), m2.file('platform/overlays/prod'))), /a revision of the moved folder's repository the workspace does not hold/);
});

test('flux-fleet move --dry-run prints the plan and writes nothing; move writes it; a refusal exits 1 with the reason', () => {
  const m = materialize(PLATFORM);
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((t: string) => (out.push(t), true)) as typeof process.stdout.write;
  process.stderr.write = ((t: string) => (err.push(t), true)) as typeof process.stderr.write;
  const cwd = process.cwd();
  process.chdir(m.dir);
  try {
    assert.equal(main(['move', 'platform/apps/base/web', 'platform/apps/base/site', '--dry-run', 'platform']), 0);
    assert.ok(fs.existsSync(m.file('platform/apps/base/web/deploy.yaml')));
    assert.equal(main(['move', 'platform/apps/base/web', 'platform/apps/prod', 'platform']), 1);
    assert.equal(main(['move', 'platform/apps/base/web', 'platform/apps/base/site', 'platform']), 0);
  } finally {
    process.chdir(cwd);
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  const text = out.join('');
  assert.match(text, /^Move platform\/apps\/base\/web to platform\/apps\/base\/site\nmove platform\/apps\/base\/web\/deploy\.yaml → platform\/apps\/base\/site\/deploy\.yaml\n/);
  assert.match(text, /platform\/apps\/prod\/kustomization\.yaml:2:5: "\.\.\/base\/web" → "\.\.\/base\/site"/);
  assert.match(text, /note: every context renders the same: 1 context/);
  assert.match(text, /1 edit\(s\), 0 new file\(s\), 2 move\(s\) in 3 file\(s\) \(dry run: nothing written\)/);
  assert.match(err.join(''), /flux-fleet: move refused: platform\/apps\/prod exists/);
  assert.ok(fs.existsSync(m.file('platform/apps/base/site/deploy.yaml')));
  assert.equal(fs.readFileSync(m.file('platform/apps/prod/kustomization.yaml'), 'utf8'), 'resources:\n  - ../base/site\n');
});

/** A corpus copied to a temporary folder, mapped to itself (the copy is what moves). */
function corpusCopy(name: string, mappings: Record<string, string>): { dir: string; fleet: () => Fleet } {
  const dir = tempDir('ff-move-corpus-');
  fs.cpSync(path.join(CORPORA_DIR, name), path.join(dir, name), { recursive: true });
  const fleet = () => {
    const f = new FleetModel(new NodeFileSystem(), {
      roots: [path.join(dir, name)],
      extraMappings: Object.entries(mappings).map(([raw, folder]) => ({ raw, key: parseMappingKey(raw)!, folder: path.join(dir, folder) })),
    });
    f.load();
    return f;
  };
  return { dir, fleet };
}

test('corpus flux2-multi-tenancy: moving a tenant folder rewrites the platform overlays, and every context renders the same', { skip: !corporaPresent && 'no ../shared corpora' }, () => {
  const c = corpusCopy('flux2-multi-tenancy', { 'https://github.com/fluxcd/flux2-multi-tenancy': 'flux2-multi-tenancy' });
  const fleet = c.fleet();
  const from = path.join(c.dir, 'flux2-multi-tenancy/tenants/base/dev-team');
  const to = path.join(c.dir, 'flux2-multi-tenancy/tenants/teams/dev-team');
  const p = plan(move(fleet, from, to, { noFindingsCheck: true }));
  assert.ok(p.edits.length > 0);
  for (const e of p.edits) assert.equal(fs.readFileSync(e.file, 'utf8').slice(e.span.start, e.span.end).includes('base/dev-team'), true, e.file);
  assert.match(p.notes[0], /^every context renders the same: \d+ contexts?/);
  const before = renders(fleet);
  assert.deepEqual(applyPlan(p, (f) => fleet.facts.get(f)?.text ?? fs.readFileSync(f, 'utf8')), { ok: true });
  assert.deepEqual(renders(c.fleet()), before);
});

test('corpus flux2-kustomize-helm-example: an app base moved inside the folder the ArtifactGenerator copies; a folder read through the artifact refuses', { skip: !corporaPresent && 'no ../shared corpora' }, () => {
  const c = corpusCopy('flux2-kustomize-helm-example', {});
  const fleet = c.fleet();
  const repo = path.join(c.dir, 'flux2-kustomize-helm-example');
  const p = plan(move(fleet, path.join(repo, 'apps/base/podinfo'), path.join(repo, 'apps/base/web'), { noFindingsCheck: true }));
  assert.deepEqual(
    p.edits.map((e) => `${path.relative(repo, e.file)}: ${e.newText}`),
    ['apps/production/kustomization.yaml: ../base/web', 'apps/staging/kustomization.yaml: ../base/web'],
  );
  assert.equal(p.notes[0], 'every context renders the same: 2 contexts');
  const before = renders(fleet);
  assert.deepEqual(applyPlan(p, (f) => fleet.facts.get(f)?.text ?? fs.readFileSync(f, 'utf8')), { ok: true });
  assert.deepEqual(renders(c.fleet()), before);
  assert.match(refusal(move(c.fleet(), path.join(repo, 'infrastructure/configs'), path.join(repo, 'infrastructure/cfg'))), /infra-configs reads the moved folder through a generated artifact \(ExternalArtifact\)/);
});

test('corpus d1 (fleet, infra, apps): a component base moved in d1-apps follows; a folder a variable spec.path names in a context refuses', { skip: !corporaPresent && 'no ../shared corpora' }, () => {
  const dir = tempDir('ff-move-d1-');
  for (const r of ['d1-fleet', 'd1-infra', 'd1-apps']) fs.cpSync(path.join(CORPORA_DIR, r), path.join(dir, r), { recursive: true });
  const load = () => loadFleet(dir, [path.join(dir, 'd1-fleet')]);
  const fleet = load();
  const apps = path.join(dir, 'd1-apps');
  const p = plan(move(fleet, path.join(apps, 'components/backend/base'), path.join(apps, 'components/backend/common'), { noFindingsCheck: true }));
  assert.deepEqual(
    p.edits.map((e) => `${path.relative(apps, e.file)}: ${e.newText}`),
    ['components/backend/production/kustomization.yaml: ../common', 'components/backend/staging/kustomization.yaml: ../common'],
  );
  assert.match(p.notes[0], /^every context renders the same: [1-9]\d* contexts?$/);
  const before = renders(fleet);
  assert.deepEqual(applyPlan(p, (f) => fleet.facts.get(f)?.text ?? fs.readFileSync(f, 'utf8')), { ok: true });
  assert.deepEqual(renders(load()), before);
  assert.match(refusal(move(load(), path.join(apps, 'components/backend/staging'), path.join(apps, 'components/backend/stage'))), /spec\.path '\.\/components\/backend\/\$\{ENVIRONMENT\}' is built from a variable, and in d1-fleet\/clusters\/staging/);
});
