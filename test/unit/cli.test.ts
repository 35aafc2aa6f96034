// The CLI, run as a user runs it: dist/cli.js (built by npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { materialize } from '../helpers/fixture';
import { scenarioDirs } from '../helpers/impact';
import { PROD, appsKs, WEB } from '../helpers/impactFleets';

const root = path.resolve(__dirname, '../..');
const cli = (args: string[], cwd = root) => spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd, encoding: 'utf8' });

test('check --format json: 1-based positions relative to the working directory, exit 1 on errors', () => {
  const r = cli(['check', '--format', 'json', 'test/fixtures/broken']);
  assert.equal(r.status, 1, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  const row = rows.find((x) => x.code === 'path-not-found' && String(x.file).endsWith('path-not-found.yaml'))!;
  assert.deepEqual(row, {
    file: 'test/fixtures/broken/platform/clusters/prod/path-not-found.yaml',
    line: 8,
    column: 9,
    endLine: 8,
    endColumn: 20,
    severity: 'error',
    code: 'path-not-found',
    message: row.message,
  });
  assert.deepEqual(Object.keys(rows[0]), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
});

test('check text output and exit 0 on a healthy fleet; tree shows cross-repository paths', () => {
  const ok = cli(['check', 'examples']);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const broken = cli(['check', 'broken'], path.join(root, 'test/fixtures'));
  assert.match(broken.stdout, /^broken\/platform\/apps\/prod\/kustomization\.yaml:5:5: error path-not-found /m);
  const tree = cli(['tree', 'examples']);
  assert.equal(tree.status, 0);
  assert.match(tree.stdout, /Kustomization tenant-a\/tenant-a .*\n.*source GitRepository tenant-a\s+→ tenant-a\n.*path \.\/deploy\/production \(patched in platform\/tenants\/production\/tenant-a-patch\.yaml\)\s+→ tenant-a\/deploy\/production/);
});

test('bad usage exits 2', () => {
  assert.equal(cli([]).status, 2);
  assert.equal(cli(['frobnicate']).status, 2);
  assert.equal(cli(['check', '--format', 'xml']).status, 2);
  assert.equal(cli(['check', 'no/such/dir']).status, 2);
});

test("a platform's lock policy governs its own clusters, not another fleet checked alongside", () => {
  const r = cli(['check', '--format', 'json', 'test/fixtures/fleet', 'test/fixtures/locks']);
  const rows = JSON.parse(r.stdout) as Array<{ file: string; code: string; severity: string }>;
  assert.ok(rows.some((x) => x.file.startsWith('test/fixtures/locks/') && x.code === 'missing-required'));
  // The healthy fleet only has the notes on helmCharts kustomize cannot render here.
  assert.deepEqual([...new Set(rows.filter((x) => x.file.startsWith('test/fixtures/fleet/')).map((x) => `${x.severity} ${x.code}`))].sort(), ['information unsupported-kustomize-feature', 'warning deprecated-api']);
});

test('--untrusted (CI on a pull request): the top-level .flux-fleet.yaml of a DIR maps nothing outside the DIRs', () => {
  // The pull request's repository maps a sibling folder it does not contain (what a hostile PR would point at ~ or /etc).
  const m = materialize(`
//- pr/.flux-fleet.yaml
repositories:
  https://example.com/outside: ../outside
//- pr/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: outside
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/outside
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: outside
  namespace: flux-system
spec:
  interval: 10m
  path: ./app
  prune: true
  sourceRef: {kind: GitRepository, name: outside}
//- outside/app/kustomization.yaml
resources: [cm.yaml]
//- outside/app/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: outside-data
  namespace: flux-system
data:
  note: OUTSIDE-MARKER
`);
  const pr = m.file('pr');
  // Trusted (the default): the user named pr, so its own file may map ../outside.
  assert.match(cli(['build', 'flux-system/outside', pr]).stdout, /OUTSIDE-MARKER/);
  for (const args of [['check', pr], ['check', '--format', 'json', pr], ['tree', pr], ['build', 'flux-system/outside', pr], ['values', 'HelmRelease/x/y', pr]]) {
    const r = cli([args[0], '--untrusted', ...args.slice(1)]);
    assert.ok(!/OUTSIDE-MARKER/.test(r.stdout + r.stderr), `${args.join(' ')} --untrusted reads outside:\n${r.stdout}`);
    assert.ok(r.status !== 2, `${args.join(' ')}: ${r.stderr}`);
  }
  const check = cli(['check', '--untrusted', pr]);
  assert.match(check.stdout, /\.flux-fleet\.yaml:2:\d+: \w+ \S+ https:\/\/example\.com\/outside is mapped to .*\/outside, outside the workspace folders: a repository's own \.flux-fleet\.yaml may map folders inside them only/);
});

test('diff --base-dir: text, markdown and json; exit 1 on an error danger, 0 without, 2 on bad usage', () => {
  const typo = scenarioDirs(PROD, { 'clusters/prod/apps.yaml': appsKs('./apps/prdo') });
  const text = cli(['diff', '--base-dir', typo.base, '.'], typo.work);
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stdout, /^ff-fixture-\w+\/clusters\/prod\/flux-system: flux-system\/flux-system > flux-system\/apps \(changed, prune\) \+0 -3 ~0\n  - Deployment shop\/web\n  - Namespace shop\n  - PersistentVolumeClaim shop\/data$/m);
  assert.match(text.stdout, /^  ~ Kustomization flux-system\/apps\n      \/spec\/path: "\.\/apps\/prod" → "\.\/apps\/prdo"  # clusters\/prod\/apps\.yaml:7 \(resource\)$/m);
  assert.match(text.stdout, /^  error prune-deletes clusters\/prod\/apps\.yaml:7: Kustomization flux-system\/apps \(prune: true\) deletes 3 objects: /m);
  assert.match(text.stdout, /^2 contexts, 4 objects \(0 added, 3 removed, 1 changed\), 3 deletions; 1 changed file against dir:/m);

  const md = cli(['diff', '--base-dir', typo.base, '--format', 'markdown', '.'], typo.work);
  assert.equal(md.status, 1);
  assert.match(md.stdout, /^\| Context \| Added \| Removed \| Changed \| Dangers \|\n\|---\|---:\|---:\|---:\|---\|\n/m);
  assert.match(md.stdout, /^\| flux-system\/apps \| 0 \| 3 \| 0 \| ⛔ prune-deletes, ⚠️ path-changed \|$/m);
  assert.match(md.stdout, /<details><summary>ff-fixture-\w+\/clusters\/prod\/flux-system: flux-system\/flux-system &gt; flux-system\/apps \+0 -3 ~0<\/summary>\n\n```diff\n- Deployment shop\/web\n- Namespace shop\n- PersistentVolumeClaim shop\/data\n```\n\n<\/details>/);

  const json = cli(['diff', '--base-dir', typo.base, '--format', 'json', '.'], typo.work);
  assert.equal(json.status, 1);
  const x = JSON.parse(json.stdout);
  assert.deepEqual(x.totals, { contexts: 2, objects: 4, added: 0, removed: 3, changed: 1, deletions: 3 });
  assert.deepEqual([x.dangers[0].code, x.dangers[0].severity, x.dangers[0].at.line], ['prune-deletes', 'error', 7]);

  // An image bump: an info danger, exit 0; the same trees: nothing, exit 0.
  const bump = scenarioDirs(PROD, { 'apps/prod/web.yaml': WEB.replace('nginx:1.25', 'nginx:1.26') });
  const ok = cli(['diff', '--base-dir', bump.base, bump.work]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /info image-changed \S+web\.yaml:17: Deployment shop\/web: image nginx:1\.25 → nginx:1\.26\./);
  assert.equal(cli(['diff', '--base-dir', bump.base, bump.base]).stdout.trim().split('\n').at(-1)!.replace(/dir:.*/, ''), '0 contexts, 0 objects (0 added, 0 removed, 0 changed), 0 deletions; 0 changed files against ');
  assert.equal(cli(['diff', '--base-dir', bump.base, '--base', 'main', bump.work]).status, 2);
  assert.equal(cli(['diff', '--format', 'yaml', bump.work]).status, 2);
  assert.equal(cli(['diff', '--base-dir', '/nonexistent/base', bump.work]).status, 2);
});
