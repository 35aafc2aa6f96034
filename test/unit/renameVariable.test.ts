// Renaming a Flux postBuild variable: its definitions (substitute keys, substituteFrom ConfigMap/Secret keys) and every
// `${VAR}` the engine substituted with them, across repositories; refusals with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet, type Materialized } from '../helpers/fixture';
import { check, prepareRename, rename, renameVariable, applyEdits, type Fleet, type RenameAnswer } from '../../server/src/ide';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { printResources } from '../../server/src/core/kustomize/output';
import { redactResources } from '../../server/src/core/redact';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { main } from '../../server/src/cli';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';
import { Fleet as FleetModel } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import type { Json, Resource } from '../../server/src/core/kustomize/types';
import { tempDir } from '../helpers/tempDir';

const cluster = (name: string, region: string) => `
//- platform/clusters/${name}/flux.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://example.com/platform
  ref: {branch: main}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/${name}/apps.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: apps
  namespace: flux-system
spec:
  url: https://example.com/apps
  ref: {branch: main}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: apps
  postBuild:
    substitute:
      CLUSTER_NAME: ${name}
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
      - kind: Secret
        name: cluster-secrets
//- platform/clusters/${name}/vars.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  REGION: "${region}"
  TEAM: payments
---
apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
  namespace: flux-system
data:
  DB_PASS: c2VjcmV0LXZhbHVl
`;

const FLEET = `
//- platform/.git/config
[remote "origin"]
  url = https://example.com/platform
//- platform/.flux-fleet.yaml
repositories:
  https://example.com/apps: ../apps
//- apps/.git/config
[remote "origin"]
  url = https://example.com/apps
${cluster('prod', 'eu-west-1')}${cluster('staging', 'us-east-1')}
//- apps/deploy/kustomization.yaml
resources: [app.yaml]
//- apps/deploy/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${CLUSTER_NAME}-web
  namespace: apps
data:
  region: \${REGION}
  where: "\${CLUSTER_NAME} in \${REGION}"
  team: \${TEAM:=none}
  password: \${DB_PASS}
`;

function at(m: Materialized, rel: string, needle: string, plus = 0): { file: string; offset: number } {
  const file = m.file(rel);
  const i = fs.readFileSync(file, 'utf8').indexOf(needle);
  assert.ok(i >= 0, `${needle} not in ${rel}`);
  return { file, offset: i + plus };
}

function edits(m: Materialized, answer: RenameAnswer | undefined): string[] {
  assert.ok(answer && 'edits' in answer, JSON.stringify(answer));
  return answer.edits.map((e) => {
    const text = fs.readFileSync(e.file, 'utf8');
    const line = text.slice(0, e.span.start).split('\n').length;
    return `${path.relative(m.dir, e.file)}:${line} ${text.slice(e.span.start, e.span.end)}→${e.newText}`;
  });
}

function refusal(a: RenameAnswer | { refused: string } | { span: unknown } | undefined): string {
  assert.ok(a && 'refused' in a, `expected a refusal, got ${JSON.stringify(a)}`);
  return a.refused;
}

/**
 * Every context's rendered output (secrets masked), by context; with `renamed`, a ConfigMap's or Secret's data key
 * `old` printed as `new` (the definitions the rename changes on purpose).
 */
function rendered(fleet: Fleet, renamed?: [string, string]): string[] {
  const keyed = (r: Resource): Resource => {
    const data = r.obj.data as Record<string, Json> | undefined;
    if (!renamed || (r.obj.kind !== 'ConfigMap' && r.obj.kind !== 'Secret') || !data || !(renamed[0] in data)) return r;
    const { [renamed[0]]: value, ...rest } = data;
    return { ...r, obj: { ...r.obj, data: { ...rest, [renamed[1]]: value } } };
  };
  return allContexts(fleet, rootKustomizations(fleet)).map((c) => `# ${contextLabel(c.id)}\n${printResources(redactResources(c.build.resources.map(keyed)))}`);
}

function findings(fleet: Fleet, dir: string): string[] {
  return check(fleet, { strictSubstitution: true, schema: false }).map((f) => `${f.code} ${path.relative(dir, f.file)} ${f.message}`).sort();
}

/** Writes the answer's edits to disk. */
function apply(answer: RenameAnswer | undefined): void {
  assert.ok(answer && 'edits' in answer);
  for (const file of new Set(answer.edits.map((e) => e.file))) fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), answer.edits.filter((e) => e.file === file)));
}

test('a variable renamed at a use: both clusters\' ConfigMap keys and every use, across two repositories; the fleet renders the same', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const before = { rendered: rendered(fleet), findings: findings(fleet, m.dir) };
  assert.equal(before.rendered.length, 4, before.rendered.join('\n'));
  const use = at(m, 'apps/deploy/app.yaml', '${REGION}', 4);
  const prep = prepareRename(fleet, use.file, use.offset);
  assert.ok(prep && 'placeholder' in prep, JSON.stringify(prep));
  assert.equal(prep.placeholder, 'REGION');
  const answer = rename(fleet, use.file, use.offset, 'AWS_REGION');
  assert.deepEqual(edits(m, answer), [
    'apps/deploy/app.yaml:7 REGION→AWS_REGION',
    'apps/deploy/app.yaml:8 REGION→AWS_REGION',
    'platform/clusters/prod/vars.yaml:7 REGION→AWS_REGION',
    'platform/clusters/staging/vars.yaml:7 REGION→AWS_REGION',
  ]);
  apply(answer);
  const after = loadFleet(m.dir);
  assert.deepEqual(findings(after, m.dir), before.findings);
  // What the apps deploy renders the same; the only change is the definitions' key (the ConfigMaps' data).
  assert.deepEqual(rendered(after), rendered(fleet, ['REGION', 'AWS_REGION']));
  assert.notDeepEqual(rendered(after), before.rendered);
  assert.match(rendered(after).join('\n'), /region: eu-west-1/);
});

test('renamed at a definition (a postBuild.substitute key): the keys of every cluster and every use; a default is kept', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const key = at(m, 'platform/clusters/prod/apps.yaml', 'CLUSTER_NAME:', 3);
  assert.deepEqual(edits(m, rename(fleet, key.file, key.offset, 'CLUSTER')), [
    'apps/deploy/app.yaml:4 CLUSTER_NAME→CLUSTER',
    'apps/deploy/app.yaml:8 CLUSTER_NAME→CLUSTER',
    'platform/clusters/prod/apps.yaml:24 CLUSTER_NAME→CLUSTER',
    'platform/clusters/staging/apps.yaml:24 CLUSTER_NAME→CLUSTER',
  ]);
  const team = at(m, 'apps/deploy/app.yaml', 'TEAM', 1);
  const answer = rename(fleet, team.file, team.offset, 'OWNER');
  assert.deepEqual(edits(m, answer), ['apps/deploy/app.yaml:9 TEAM→OWNER', 'platform/clusters/prod/vars.yaml:8 TEAM→OWNER', 'platform/clusters/staging/vars.yaml:8 TEAM→OWNER']);
  const before = rendered(fleet, ['TEAM', 'OWNER']);
  apply(answer);
  assert.match(fs.readFileSync(m.file('apps/deploy/app.yaml'), 'utf8'), /team: \$\{OWNER:=none\}/);
  assert.deepEqual(rendered(loadFleet(m.dir)), before);
});

test('a Secret-held variable: the key is renamed, its value is never in an edit or a message', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const use = at(m, 'apps/deploy/app.yaml', 'DB_PASS', 1);
  const answer = rename(fleet, use.file, use.offset, 'DATABASE_PASSWORD');
  assert.deepEqual(edits(m, answer), ['apps/deploy/app.yaml:10 DB_PASS→DATABASE_PASSWORD', 'platform/clusters/prod/vars.yaml:16 DB_PASS→DATABASE_PASSWORD', 'platform/clusters/staging/vars.yaml:16 DB_PASS→DATABASE_PASSWORD']);
  assert.doesNotMatch(JSON.stringify(answer), /c2VjcmV0|secret-value/);
  // The same from the Secret's key.
  const key = at(m, 'platform/clusters/staging/vars.yaml', 'DB_PASS', 2);
  assert.deepEqual(edits(m, rename(fleet, key.file, key.offset, 'DATABASE_PASSWORD')), edits(m, answer));
  const existing = refusal(rename(fleet, use.file, use.offset, 'REGION'));
  assert.match(existing, /A variable named REGION already exists/);
  assert.doesNotMatch(existing, /c2VjcmV0|secret-value/);
});

test('the CLI: rename var:NAME (every variable of that name) and var:NAME@FILE:LINE, --dry-run writes nothing', () => {
  const m = materialize(FLEET);
  const app = m.file('apps/deploy/app.yaml');
  const before = fs.readFileSync(app, 'utf8');
  const out: string[] = [];
  const err: string[] = [];
  const write = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)] as const;
  process.stdout.write = ((t: string) => (out.push(t), true)) as typeof process.stdout.write;
  process.stderr.write = ((t: string) => (err.push(t), true)) as typeof process.stderr.write;
  const cwd = process.cwd();
  try {
    assert.equal(main(['rename', 'var:REGION', 'AWS_REGION', '--dry-run', m.dir]), 0);
    assert.equal(fs.readFileSync(app, 'utf8'), before);
    assert.match(out.join(''), /4 edit\(s\), 0 new file\(s\), 0 move\(s\) in 3 file\(s\) \(dry run: nothing written\)/);
    process.chdir(m.dir);
    assert.equal(main(['rename', 'var:TEAM@apps/deploy/app.yaml:9', 'OWNER', m.dir]), 0);
    assert.equal(main(['rename', 'var:TEAM@apps/deploy/app.yaml:3', 'OWNER', m.dir]), 1);
    assert.equal(main(['rename', 'var:REGION', '9lives', m.dir]), 1);
  } finally {
    process.chdir(cwd);
    process.stdout.write = write[0];
    process.stderr.write = write[1];
  }
  assert.equal(fs.readFileSync(app, 'utf8'), before.replace('${TEAM:=none}', '${OWNER:=none}'));
  assert.match(fs.readFileSync(m.file('platform/clusters/staging/vars.yaml'), 'utf8'), /^ {2}OWNER: payments$/m);
  assert.match(err.join(''), /apps\/deploy\/app\.yaml:3: no use or definition of the variable TEAM on that line/);
  assert.match(err.join(''), /'9lives' is not a valid Flux variable name/);
});

test('refusals: an invalid or existing name, a file no context deploys, a use not substituted, an unattributed use', () => {
  const m = materialize(FLEET + `
//- apps/unused/extra.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
data:
  region: \${REGION}
`);
  const fleet = loadFleet(m.dir);
  const use = at(m, 'apps/deploy/app.yaml', '${CLUSTER_NAME}', 3);
  assert.match(refusal(rename(fleet, use.file, use.offset, 'cluster-name')), /'cluster-name' is not a valid Flux variable name/);
  assert.match(refusal(rename(fleet, use.file, use.offset, 'TEAM')), /A variable named TEAM already exists in .* \(flux:postBuild\.substituteFrom ConfigMap cluster-vars at platform\/clusters\/(prod|staging)\/vars\.yaml:8\)/);
  const unused = at(m, 'apps/unused/extra.yaml', 'REGION');
  assert.match(refusal(prepareRename(fleet, unused.file, unused.offset)), /No Flux Kustomization the fleet resolves deploys apps\/unused\/extra\.yaml: which variable \$\{REGION\} is there cannot be known/);
  // The deployed use joins both clusters, but the same name in a file of the same repository nobody deploys may be it.
  const region = at(m, 'apps/deploy/app.yaml', 'REGION');
  assert.match(refusal(rename(fleet, region.file, region.offset, 'AWS_REGION')), /\$\{REGION\} at apps\/unused\/extra\.yaml:6 is not substituted by any context the fleet resolves/);
});

test('refusals: a use also deployed without substitution, a source only the cluster fills, a definition that cannot follow (a generator file name), a SOPS-encrypted definition', () => {
  const raw = materialize(FLEET + `
//- platform/clusters/prod/raw.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: raw
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  prune: true
  targetNamespace: raw
  sourceRef:
    kind: GitRepository
    name: apps
`);
  let fleet = loadFleet(raw.dir);
  const use = at(raw, 'apps/deploy/app.yaml', 'REGION');
  assert.match(refusal(rename(fleet, use.file, use.offset, 'AWS_REGION')), /apps\/deploy\/app\.yaml:7 is also deployed by flux-system\/raw \(platform\/clusters\/prod\), which does not substitute variables in it: there \$\{REGION\} is plain text/);

  const opaque = materialize(FLEET.replace(/name: cluster-secrets\n {2}namespace: flux-system\ndata:\n {2}DB_PASS: \S+\n/, 'name: cluster-secrets\n  namespace: flux-system\ndata: {}\n').replace('//- apps/deploy/kustomization.yaml', `//- platform/clusters/staging/external.yaml
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: staging-secrets
  namespace: flux-system
spec:
  target: {name: staging-secrets}
//- apps/deploy/kustomization.yaml`).replace(/(staging[\s\S]*?)name: cluster-secrets\n/, '$1name: staging-secrets\n'));
  fleet = loadFleet(opaque.dir);
  const u = at(opaque, 'apps/deploy/app.yaml', 'REGION');
  assert.match(refusal(rename(fleet, u.file, u.offset, 'AWS_REGION')), /REGION may also come from .*ExternalSecret.*which only the cluster fills: it cannot be renamed there/);

  // Staging's REGION comes from a generated ConfigMap whose key is a file name: that definition cannot follow.
  const generated = materialize(FLEET + `
//- platform/clusters/staging/vars.yaml
apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
  namespace: flux-system
data:
  DB_PASS: c2VjcmV0LXZhbHVl
//- platform/clusters/staging/kustomization.yaml
resources: [flux.yaml, apps.yaml, vars.yaml]
configMapGenerator:
  - name: cluster-vars
    namespace: flux-system
    files: [REGION, TEAM]
generatorOptions:
  disableNameSuffixHash: true
//- platform/clusters/staging/REGION
us-east-1
//- platform/clusters/staging/TEAM
payments
`);
  fleet = loadFleet(generated.dir);
  const g = at(generated, 'apps/deploy/app.yaml', 'REGION');
  assert.match(refusal(rename(fleet, g.file, g.offset, 'AWS_REGION')), /^REGION is defined by flux:postBuild\.substituteFrom ConfigMap cluster-vars at platform\/clusters\/staging\/REGION in a way that cannot be renamed here\.$/);

  const sops = materialize(FLEET.replace('  DB_PASS: c2VjcmV0LXZhbHVl\n', '  DB_PASS: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:x=,iv:y=,tag:z=,type:str]\n  lastmodified: "2024-01-01T00:00:00Z"\n'));
  fleet = loadFleet(sops.dir);
  const p = at(sops, 'apps/deploy/app.yaml', 'DB_PASS');
  assert.match(refusal(rename(fleet, p.file, p.offset, 'DATABASE_PASSWORD')), /DB_PASS is defined in the SOPS-encrypted platform\/clusters\/(prod|staging)\/vars\.yaml: SOPS authenticates each value with its key's path/);
});

test('d1 (three repositories, copied): CLUSTER_DOMAIN renamed in d1-fleet\'s three clusters and its use in d1-apps; no new finding, the same rendering', { timeout: 180_000 }, (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const dir = tempDir('ff-rename-d1-');
  for (const name of ['d1-fleet', 'd1-infra', 'd1-apps']) fs.cpSync(path.join(CORPORA_DIR, name), path.join(dir, name), { recursive: true });
  const fleet = new FleetModel(new NodeFileSystem(), { roots: [path.join(dir, 'd1-fleet')] });
  fleet.load();
  const before = findings(fleet, dir);
  const expected = rendered(fleet, ['CLUSTER_DOMAIN', 'DOMAIN']);
  const answer = renameVariable(fleet, 'var:CLUSTER_DOMAIN', 'DOMAIN', dir);
  assert.ok('edits' in answer, JSON.stringify(answer));
  assert.deepEqual([...new Set(answer.edits.map((e) => path.relative(dir, e.file)))], ['d1-apps/components/frontend/base/podinfo.yaml', 'd1-fleet/clusters/prod-eu/runtime-info.yaml', 'd1-fleet/clusters/prod-us/runtime-info.yaml', 'd1-fleet/clusters/staging/runtime-info.yaml']);
  apply(answer);
  const after = new FleetModel(new NodeFileSystem(), { roots: [path.join(dir, 'd1-fleet')] });
  after.load();
  assert.deepEqual(findings(after, dir), before);
  assert.deepEqual(rendered(after), expected);
});

/** A ResourceSet generating a Kustomization whose postBuild.substitute key is written literally (objects or a template text). */
const RS = (form: 'objects' | 'template') => `
//- repo/.flux-fleet.yaml
repositories:
  https://example.com/fleet: .
//- repo/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://example.com/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  interval: 10m
  path: ./tenants
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- repo/tenants/rs.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: teams
  namespace: flux-system
spec:
  inputs:
    - tenant: team-a
${form === 'objects' ? `  resources:
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: << inputs.tenant >>
        namespace: flux-system
      spec:
        interval: 10m
        path: ./apps
        prune: true
        sourceRef:
          kind: GitRepository
          name: flux-system
        postBuild:
          substitute:
            TENANT: << inputs.tenant >>` : `  resourcesTemplate: |
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: << inputs.tenant >>
      namespace: flux-system
    spec:
      interval: 10m
      path: ./apps
      prune: true
      sourceRef:
        kind: GitRepository
        name: flux-system
      postBuild:
        substitute:
          TENANT: << inputs.tenant >>`}
//- repo/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: apps
data:
  tenant: \${TENANT}
`;
test('a variable a ResourceSet-generated Kustomization defines: its one literal key in the ResourceSet (objects and template forms) and the use', () => {
  for (const form of ['objects', 'template'] as const) {
    const m = materialize(RS(form));
    const fleet = loadFleet(m.dir);
    const expected = rendered(fleet);
    const answer = renameVariable(fleet, 'var:TENANT', 'TEAM', m.dir);
    assert.deepEqual(edits(m, answer), ['repo/apps/cm.yaml:7 TENANT→TEAM', 'repo/tenants/rs.yaml:24 TENANT→TEAM'], form);
    apply(answer);
    const after = rendered(loadFleet(m.dir));
    // The ResourceSet's key is part of what the parent renders: renamed there, and nothing else changed.
    assert.deepEqual(after, expected.map((r) => r.replace('TENANT: << inputs.tenant >>', 'TEAM: << inputs.tenant >>')), form);
    assert.notDeepEqual(after, expected);
  }
});
