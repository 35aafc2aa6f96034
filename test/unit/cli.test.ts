// The CLI, run as a user runs it: dist/cli.js (built by npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

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
