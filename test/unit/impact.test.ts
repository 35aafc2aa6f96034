// Change impact (issue 15): a baseline tree and a working tree made from it by one edit, compared through
// --base-dir; each scenario asserts the exact impact (contexts, objects, fields with their causes, dangers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import git from 'isomorphic-git';
import * as path from 'node:path';
import { scenario, scenarioDirs, impactLines } from '../helpers/impact';
import { materialize } from '../helpers/fixture';
import { baseDirBaseline } from '../../server/src/core/impact/baseDir';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { impact, pruneDeleteFindings, renderedPair } from '../../server/src/ide/impact';
import { MASK } from '../../server/src/core/redact';
import { renderContext } from '../../server/src/core/impact/impact';
import { impactJson, impactMarkdown, impactText } from '../../server/src/ide/impactReport';

import { GIT, cluster, appsKs, WEB, PROD } from '../helpers/impactFleets';

const ROOT = 'ff-fixture-*/clusters/prod/flux-system: flux-system/flux-system';

function lines(s: ReturnType<typeof scenario>): string[] {
  return impactLines(s).map((l) => l.replace(/ff-fixture-[A-Za-z0-9]+/g, 'ff-fixture-*'));
}

test('a typo in a prune: true spec.path deletes everything, flagged as an error on the spec.path line', () => {
  const s = scenario(PROD, { 'clusters/prod/apps.yaml': appsKs('./apps/prdo') });
  assert.deepEqual(lines(s), [
    `context ${ROOT} changed prune`,
    '  changed Kustomization flux-system/apps',
    '    /spec/path: "./apps/prod" → "./apps/prdo" @clusters/prod/apps.yaml:7',
    `context ${ROOT} > flux-system/apps changed prune`,
    '  removed Deployment shop/web',
    '  removed Namespace shop',
    '  removed PersistentVolumeClaim shop/data',
    'danger error prune-deletes @clusters/prod/apps.yaml:7 [1] Kustomization flux-system/apps (prune: true) deletes 3 objects: Namespace shop, PersistentVolumeClaim shop/data, Deployment shop/web; Namespace shop, PersistentVolumeClaim shop/data hold data.',
    'danger warning path-changed @clusters/prod/apps.yaml:7 [1] Kustomization flux-system/apps: spec.path ./apps/prod → ./apps/prdo: it now builds 0 objects (3 before), and ./apps/prdo does not exist.',
  ]);
  assert.deepEqual(s.impact.totals, { contexts: 2, objects: 4, added: 0, removed: 3, changed: 1, deletions: 3 });
  assert.deepEqual(s.impact.changedFiles, [{ file: path.join(s.work, 'clusters/prod/apps.yaml'), status: 'changed' }]);
  // The editor's diagnostic: on the spec.path line, an error (a Namespace and a PVC go), the deleted documents related.
  const [f] = pruneDeleteFindings(s.impact);
  assert.equal(f.code, 'prune-deletes');
  assert.equal(f.severity, 'error');
  assert.equal(f.file, path.join(s.work, 'clusters/prod/apps.yaml'));
  assert.equal(appsKs('./apps/prdo').slice(f.span.start, f.span.end), './apps/prdo');
  assert.match(f.message, /deletes 3 objects: .* in flux-system\/apps \(ff-fixture-\w+\/clusters\/prod\/flux-system\)\.$/);
  assert.deepEqual(f.related!.map((r) => [path.relative(s.work, r.file), r.message]), [
    ['apps/prod/namespace.yaml', 'deleted: Namespace shop'],
    ['apps/prod/data.yaml', 'deleted: PersistentVolumeClaim shop/data'],
    ['apps/prod/web.yaml', 'deleted: Deployment shop/web'],
  ]);
});

test('a removed resources: entry is flagged on the nearest line of the kustomization file', () => {
  const s = scenario(PROD, { 'apps/prod/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - web.yaml\n' });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  removed PersistentVolumeClaim shop/data',
    'danger error prune-deletes @apps/prod/kustomization.yaml:3 [1] Kustomization flux-system/apps (prune: true) deletes 1 object: PersistentVolumeClaim shop/data; PersistentVolumeClaim shop/data holds data.',
  ]);
});

test('a renamed Kustomization: the old one and everything it deployed are deleted, the new one creates them again', () => {
  const s = scenario(PROD, { 'clusters/prod/apps.yaml': appsKs('./apps/prod', 'applications') });
  assert.deepEqual(lines(s), [
    `context ${ROOT} changed prune`,
    '  added Kustomization flux-system/applications',
    '  removed Kustomization flux-system/apps',
    `context ${ROOT} > flux-system/applications added prune`,
    '  added Deployment shop/web',
    '  added Namespace shop',
    '  added PersistentVolumeClaim shop/data',
    `context ${ROOT} > flux-system/apps removed prune`,
    '  removed Deployment shop/web',
    '  removed Namespace shop',
    '  removed PersistentVolumeClaim shop/data',
    'danger error renamed @clusters/prod/apps.yaml:4 [1] Kustomization flux-system/apps is renamed to applications: the old one is deleted, Flux deletes the 3 objects it deployed (Namespace shop, PersistentVolumeClaim shop/data, Deployment shop/web), and the new one creates them again.',
  ]);
});

test('a selector change is an immutable-field error at the selector line', () => {
  const s = scenario(PROD, { 'apps/prod/web.yaml': WEB.replace('matchLabels:\n      app: web', 'matchLabels:\n      app: web2').replace('labels:\n        app: web', 'labels:\n        app: web2') });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed Deployment shop/web',
    '    /spec/selector/matchLabels/app: "web" → "web2" @apps/prod/web.yaml:9',
    '    /spec/template/metadata/labels/app: "web" → "web2" @apps/prod/web.yaml:13',
    'danger error immutable-field @apps/prod/web.yaml:9 [1] Deployment shop/web: spec.selector cannot change in place: the apply fails (Flux recreates it only with spec.force: true).',
  ]);
});

test('containers and env reordered: not a change', () => {
  const reordered = `${WEB.split('      containers:\n')[0]}      containers:
        - image: busybox:1.36
          name: sidecar
        - name: web
          env:
            - name: LEVEL
              value: info
            - value: fast
              name: MODE
          image: nginx:1.25
`;
  const s = scenario(PROD, { 'apps/prod/web.yaml': reordered });
  assert.deepEqual(lines(s), []);
  assert.deepEqual(s.impact.changedFiles.map((c) => path.relative(s.work, c.file)), ['apps/prod/web.yaml']);
  // A real change inside a reordered list is named by its merge key, not its index.
  const changed = scenario(PROD, { 'apps/prod/web.yaml': reordered.replace('value: info', 'value: debug') });
  assert.deepEqual(lines(changed), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed Deployment shop/web',
    '    /spec/template/spec/containers/[name=web]/env/[name=LEVEL]/value: "info" → "debug" @apps/prod/web.yaml:21',
  ]);
});

const RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: shop
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: 6.5.0
      sourceRef:
        kind: HelmRepository
        name: podinfo
  values:
    replicaCount: 2
`;

const THREE = `
//- .git/config
${GIT('https://github.com/acme/fleet')}
${cluster('prod')}
${cluster('staging')}
${cluster('dev')}
//- apps/base/kustomization.yaml
resources: [release.yaml]
//- apps/base/release.yaml
${RELEASE}
//- apps/prod/kustomization.yaml
resources: [../base]
//- apps/staging/kustomization.yaml
resources: [../base]
//- apps/dev/kustomization.yaml
resources: [../base]
`;

test('a values change in a shared base flows to three clusters; the chart major version danger names all three', () => {
  const s = scenario(THREE, { 'apps/base/release.yaml': RELEASE.replace('replicaCount: 2', 'replicaCount: 3').replace('version: 6.5.0', 'version: 7.0.1') });
  const context = (c: string) => [
    `context ff-fixture-*/clusters/${c}/flux-system: flux-system/flux-system > flux-system/apps changed prune`,
    '  changed HelmRelease shop/podinfo',
    '    /spec/chart/spec/version: "6.5.0" → "7.0.1" @apps/base/release.yaml:11',
    '    /spec/values/replicaCount: 2 → 3 @apps/base/release.yaml:16',
  ];
  assert.deepEqual(lines(s), [
    ...context('dev'),
    ...context('prod'),
    ...context('staging'),
    'danger warning chart-major @apps/base/release.yaml:11 [3] HelmRelease shop/podinfo: chart 6.5.0 → 7.0.1, a new major version (read its upgrade notes).',
  ]);
  assert.equal(s.impact.dangers[0].contexts.map((id) => id.root.replace(/^ff-fixture-\w+\//, '')).join(' '), 'clusters/dev/flux-system clusters/prod/flux-system clusters/staging/flux-system');
  assert.deepEqual(s.impact.contexts[0].objects[0].fields[1].cause?.layer, { step: 'resource' });
});

const TWO_REPOS = `
//- platform/.git/config
${GIT('https://github.com/acme/platform')}
//- platform/clusters/prod/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/platform
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/prod/tenant.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: tenant
  namespace: flux-system
spec:
  url: https://github.com/acme/tenant
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
  namespace: flux-system
spec:
  path: ./deploy
  prune: false
  targetNamespace: tenant
  sourceRef:
    kind: GitRepository
    name: tenant
  postBuild:
    substitute:
      cluster: prod
//- tenant/.git/config
${GIT('https://github.com/acme/tenant')}
//- tenant/deploy/kustomization.yaml
resources: [app.yaml]
//- tenant/deploy/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  greeting: hello \${cluster}
  size: small
`;

test('a change in one repository affects the contexts rooted in another', () => {
  const s = scenario(TWO_REPOS, { 'tenant/deploy/app.yaml': TWO_REPOS.split('//- tenant/deploy/app.yaml\n')[1].replace('size: small\n', '') });
  assert.deepEqual(lines(s), [
    'context platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/tenant changed',
    '  changed ConfigMap tenant/app',
    '    /data/size: "small" → ∅ @tenant/deploy/app.yaml:7 (base)',
  ]);
  const s2 = scenario(TWO_REPOS, { 'tenant/deploy/app.yaml': TWO_REPOS.split('//- tenant/deploy/app.yaml\n')[1].replace('hello', 'hi') });
  assert.deepEqual(lines(s2), [
    'context platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/tenant changed',
    '  changed ConfigMap tenant/app',
    '    /data/greeting: "hello prod" → "hi prod" @tenant/deploy/app.yaml:6',
  ]);
});

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  password: hunter2-old
  url: postgres://app:hunter2-old@db
`;

test('a changed Secret: its values are masked in the impact and in every report', () => {
  const fleet = PROD.replace('  - web.yaml\n', '  - web.yaml\n  - secret.yaml\n') + `//- apps/prod/secret.yaml\n${SECRET}`;
  const s = scenario(fleet, { 'apps/prod/secret.yaml': SECRET.replace(/hunter2-old/g, 'hunter2-new') });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed Secret shop/db',
    `    /stringData/password: "${MASK}" → "${MASK}" @apps/prod/secret.yaml:7`,
    `    /stringData/url: "${MASK}" → "${MASK}" @apps/prod/secret.yaml:8`,
  ]);
  assert.doesNotMatch(JSON.stringify(s.impact), /hunter2/);
  const locate = (c: { file: string }) => ({ file: c.file, line: 1 });
  for (const report of [impactText(s.impact, locate, s.work), impactMarkdown(s.impact, locate, s.work), impactJson(s.impact, locate)]) {
    assert.match(report, /stringData\/password/);
    assert.doesNotMatch(report, /hunter2/);
  }
  // The editor's diff view of the rendered context: masked on both sides.
  const rendered = [renderContext(s.baseFleet, s.impact.contexts[0].key), renderContext(s.workFleet, s.impact.contexts[0].key)];
  assert.deepEqual(rendered.map((r) => /password: (\S+)/.exec(r ?? '')?.[1]), [MASK, MASK]);
});

test('only the contexts an edit reaches are built whole: one cluster overlay edited, one context on each side', () => {
  const s = scenario(THREE, { 'apps/prod/kustomization.yaml': 'resources: [../base]\ncommonAnnotations:\n  team: shop\n' });
  assert.deepEqual(lines(s), [
    'context ff-fixture-*/clusters/prod/flux-system: flux-system/flux-system > flux-system/apps changed prune',
    '  changed HelmRelease shop/podinfo',
    '    /metadata/annotations: ∅ → {"team":"shop"} @apps/prod/kustomization.yaml:3',
  ]);
  // Six contexts on each side (three roots, three apps): only prod's apps is built whole, on each side.
  assert.equal(s.workFleet.db.stats().wholeBuilds.size, 1);
  assert.equal(s.baseFleet.db.stats().wholeBuilds.size, 1);
});

test('the IDE facade: unsaved text counts, the baseline fleet is loaded once per spec, a rev baseline says it is not available yet', async () => {
  const { base, work } = scenarioDirs(THREE, {});
  const fleet = new Fleet(new NodeFileSystem(), { roots: [work] });
  fleet.load();
  const spec = { baseDir: base };
  assert.equal((await impact(fleet, spec)).contexts.length, 0);
  const release = path.join(work, 'apps/base/release.yaml');
  fleet.setOverlay(release, RELEASE.replace('replicaCount: 2', 'replicaCount: 4'));
  const typed = await impact(fleet, spec);
  assert.deepEqual(typed.changedFiles, [{ file: release, status: 'changed' }]);
  assert.deepEqual(typed.contexts.map((c) => c.objects[0].fields.map((f) => `${f.path} ${f.old} → ${f.new}`)), [['/spec/values/replicaCount 2 → 4'], ['/spec/values/replicaCount 2 → 4'], ['/spec/values/replicaCount 2 → 4']]);
  assert.deepEqual(fleet.db.stats().impactBaseline, { hits: 1, misses: 1, size: 1 });
  const pair = await renderedPair(fleet, spec, typed.contexts[0].key);
  assert.match(pair.base!, /replicaCount: 2/);
  assert.match(pair.work!, /replicaCount: 4/);
});

/** Commits every file of `dir` (a repository made by isomorphic-git, never by running git). */
async function commitAll(dir: string, message: string): Promise<void> {
  const files = (await git.statusMatrix({ fs, dir })).filter(([, head, work, stage]) => head !== work || work !== stage);
  for (const [file, , work] of files) await (work === 0 ? git.remove({ fs, dir, filepath: file }) : git.add({ fs, dir, filepath: file }));
  await git.commit({ fs, dir, message, author: { name: 'Test', email: 'test@example.com', timestamp: 1764547200, timezoneOffset: 0 } });
}

test('a Git baseline (HEAD of each repository): an uncommitted edit in one repository, and a commit that moves HEAD', async () => {
  const m = materialize(TWO_REPOS.replace(/\/\/- \w+\/\.git\/config\n[^\n]*\n[^\n]*\n/g, ''));
  for (const [repo, url] of [['platform', 'https://github.com/acme/platform'], ['tenant', 'https://github.com/acme/tenant']]) {
    const dir = m.file(repo);
    await git.init({ fs, dir, defaultBranch: 'main' });
    await git.addRemote({ fs, dir, remote: 'origin', url });
    await commitAll(dir, 'initial');
  }
  const fleet = new Fleet(new NodeFileSystem(), { roots: [m.dir] });
  fleet.load();
  assert.deepEqual((await impact(fleet, { rev: 'HEAD' })).contexts, []);
  const app = m.file('tenant/deploy/app.yaml');
  fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace('hello', 'hi'));
  fleet.fileChanged(app);
  const x = await impact(fleet, { rev: 'HEAD' });
  assert.deepEqual(x.baseline.repos.map((r) => [path.relative(m.dir, r.root) || '.', r.rev, /^[0-9a-f]{40}$/.test(r.commit ?? '')]), [['.', 'HEAD', false], ['platform', 'HEAD', true], ['tenant', 'HEAD', true]]);
  assert.deepEqual(x.contexts.map((c) => c.objects.map((o) => `${o.kind} ${o.name} ${o.fields.map((f) => `${f.path}: ${f.old} → ${f.new}`).join('; ')}`)), [['ConfigMap app /data/greeting: hello prod → hi prod']]);
  // Committed: HEAD moved, the baseline is read again, and nothing differs any more.
  await commitAll(m.file('tenant'), 'greeting');
  assert.deepEqual((await impact(fleet, { rev: 'HEAD' })).contexts, []);
  assert.equal(fleet.db.stats().impactBaseline.misses, 2);
});

test('a generator input changed (not YAML): the ConfigMap under its new hash is the same object changed, not a deletion', () => {
  const fleet = PROD.replace('  - web.yaml\n', '  - web.yaml\nconfigMapGenerator:\n  - name: settings\n    namespace: shop\n    files: [app.properties]\n') + '//- apps/prod/app.properties\nmode=fast\n';
  const s = scenario(fleet, { 'apps/prod/app.properties': 'mode=slow\n' });
  const out = lines(s).map((l) => l.replace(/settings-[a-z0-9]{10}/g, 'settings-#'));
  assert.deepEqual(out, [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed ConfigMap shop/settings-#',
    '    /metadata/name: "settings-#" → "settings-#" @apps/prod/kustomization.yaml:6',
    '    /data/app.properties: "mode=fast\\n" → "mode=slow\\n" @apps/prod/app.properties:0',
  ]);
  assert.equal(s.impact.totals.deletions, 0);
});

test('a file deleted from a folder Flux generates a kustomization for: the deletion is flagged on the deployer\'s spec.path', () => {
  const generated = PROD.replace(/\/\/- apps\/prod\/kustomization\.yaml\n[\s\S]*?(?=\/\/- )/, '');
  const s = scenario(generated, { 'apps/prod/data.yaml': null });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  removed PersistentVolumeClaim shop/data',
    'danger error prune-deletes @clusters/prod/apps.yaml:7 [1] Kustomization flux-system/apps (prune: true) deletes 1 object: PersistentVolumeClaim shop/data; PersistentVolumeClaim shop/data holds data.',
  ]);
  assert.deepEqual(s.impact.changedFiles.map((c) => [path.relative(s.work, c.file), c.status]), [['apps/prod/data.yaml', 'removed']]);
});

test('--base-dir: symbolic links resolve inside the base folder and come back at working paths; one leading outside is not read', () => {
  const { base, work } = scenarioDirs(PROD, {});
  const outside = materialize('//- secret.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: OUTSIDE-MARKER\n');
  fs.symlinkSync('namespace.yaml', path.join(base, 'apps/prod/alias.yaml'));
  fs.symlinkSync(outside.file('secret.yaml'), path.join(base, 'apps/prod/out.yaml'));
  const b = baseDirBaseline(new NodeFileSystem(), [{ root: work, baseDir: base }]);
  assert.equal(b.fs.realPath(path.join(work, 'apps/prod/alias.yaml')), path.join(work, 'apps/prod/namespace.yaml'));
  assert.equal(b.fs.realPath(path.join(work, 'apps/prod/out.yaml')), outside.file('secret.yaml'));
  // `.git` comes from the working tree, the rest from the base folder.
  fs.writeFileSync(path.join(work, 'apps/prod/namespace.yaml'), 'changed: true\n');
  assert.match(b.fs.readFile(path.join(work, 'apps/prod/namespace.yaml'))!, /kind: Namespace/);
  assert.equal(b.fs.readFile(path.join(work, '.git/config')), fs.readFileSync(path.join(work, '.git/config'), 'utf8'));
  const baseFleet = new Fleet(b.fs, { roots: [work] });
  baseFleet.load();
  assert.deepEqual(baseFleet.walkReport.outsideLinks.map((l) => path.relative(work, l.link)), ['apps/prod/out.yaml']);
  assert.ok(![...baseFleet.facts.values()].some((f) => f.text.includes('OUTSIDE-MARKER')));
  assert.deepEqual(b.baseline, { label: `dir:${base}`, repos: [{ root: work, rev: 'dir' }] });
});

test('a Kustomization removed with everything it deployed; a Kustomization suspended', () => {
  const removed = scenario(PROD, { 'clusters/prod/apps.yaml': null });
  assert.deepEqual(lines(removed).filter((l) => l.startsWith('danger') || l.startsWith('context')), [
    `context ${ROOT} changed prune`,
    `context ${ROOT} > flux-system/apps removed prune`,
    'danger error kustomization-removed @clusters/prod/flux-system/gotk-sync.yaml:17 [1] Kustomization flux-system/apps goes away: Flux deletes the 3 objects it deployed (Namespace shop, PersistentVolumeClaim shop/data, Deployment shop/web).',
  ]);
  const suspended = scenario(PROD, { 'clusters/prod/apps.yaml': appsKs('./apps/prod') + '  suspend: true\n' });
  assert.deepEqual(lines(suspended), [
    `context ${ROOT} changed prune`,
    '  changed Kustomization flux-system/apps',
    '    /spec/suspend: ∅ → true @clusters/prod/apps.yaml:12',
    'danger warning suspend-flipped @clusters/prod/apps.yaml:12 [1] Kustomization flux-system/apps: suspend false → true: Flux stops reconciling it.',
  ]);
});

test("fields Kubernetes cannot change in place: a Service's clusterIP, a Job's template, a RoleBinding's roleRef", () => {
  const svc = (ip: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  clusterIP: ${ip}\n  ports:\n    - port: 80\n`;
  const job = (img: string) => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  namespace: shop\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: ${img}\n`;
  const rb = (role: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: web\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: ${role}\nsubjects:\n  - kind: ServiceAccount\n    name: web\n    namespace: shop\n`;
  const fleet = PROD.replace('  - web.yaml\n', '  - web.yaml\n  - svc.yaml\n  - job.yaml\n  - rb.yaml\n') + `//- apps/prod/svc.yaml\n${svc('10.0.0.10')}//- apps/prod/job.yaml\n${job('migrate:1')}//- apps/prod/rb.yaml\n${rb('reader')}`;
  const s = scenario(fleet, { 'apps/prod/svc.yaml': svc('10.0.0.11'), 'apps/prod/job.yaml': job('migrate:2'), 'apps/prod/rb.yaml': rb('writer') });
  const fails = 'cannot change in place: the apply fails (Flux recreates it only with spec.force: true).';
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed Job shop/migrate',
    '    /spec/template/spec/containers/[name=migrate]/image: "migrate:1" → "migrate:2" @apps/prod/job.yaml:12',
    '  changed RoleBinding shop/web',
    '    /roleRef/name: "reader" → "writer" @apps/prod/rb.yaml:9',
    '  changed Service shop/web',
    '    /spec/clusterIP: "10.0.0.10" → "10.0.0.11" @apps/prod/svc.yaml:7',
    `danger error immutable-field @apps/prod/job.yaml:12 [1] Job shop/migrate: spec.template ${fails}`,
    `danger error immutable-field @apps/prod/rb.yaml:9 [1] RoleBinding shop/web: roleRef ${fails}`,
    `danger error immutable-field @apps/prod/svc.yaml:7 [1] Service shop/web: spec.clusterIP ${fails}`,
    'danger info image-changed @apps/prod/job.yaml:12 [1] Job shop/migrate: image migrate:1 → migrate:2.',
  ]);
});

test('a sourceRef that now names another repository: path-changed on the sourceRef, and what the old one built goes', () => {
  const tenantYaml = TWO_REPOS.split('//- platform/clusters/prod/tenant.yaml\n')[1].split('//- tenant/.git/config')[0];
  const s = scenario(TWO_REPOS, { 'platform/clusters/prod/tenant.yaml': tenantYaml.replace('    name: tenant\n  postBuild', '    name: flux-system\n  postBuild') });
  // prune: false: the ConfigMap leaves the build but stays in the cluster (no prune-deletes).
  assert.deepEqual(lines(s), [
    'context platform/clusters/prod/flux-system: flux-system/flux-system changed prune',
    '  changed Kustomization flux-system/tenant',
    '    /spec/sourceRef/name: "tenant" → "flux-system" @platform/clusters/prod/tenant.yaml:22',
    'context platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/tenant changed',
    '  removed ConfigMap tenant/app',
    'danger warning path-changed @platform/clusters/prod/tenant.yaml:21 [1] Kustomization flux-system/tenant: spec.sourceRef GitRepository/tenant → GitRepository/flux-system: it now builds 0 objects (1 before), and ./deploy does not exist.',
  ]);
});
