// Customer separation through the real server over stdio (test/fixtures/tenants): the tenant rules' findings are
// published as diagnostics at the lines that break them, with the checks' own messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';

const dir = path.resolve(__dirname, '../fixtures/tenants');
const folders = ['platform', 'team-alpha', 'team-beta', 'shared-bases'].map((f) => path.join(dir, f));
const CODES = new Set(['tenant-escape', 'no-service-account', 'cross-namespace-ref', 'remote-base', 'rbac-broadening']);
let client: LspClient;

const tenantDiagnostics = () =>
  [...client.diagnostics.entries()]
    .filter(([u]) => u.startsWith(uri(dir)))
    .flatMap(([u, ds]) => ds.filter((d) => CODES.has(String(d.code))).map((d) => `${d.severity} ${String(d.code)} ${path.relative(dir, new URL(u).pathname)}:${d.range.start.line + 1}:${d.range.start.character + 1}`))
    .sort();

before(async () => {
  client = await LspClient.start(folders);
  await client.waitFor(() => tenantDiagnostics().length === 6, 30000);
});
after(async () => {
  await client?.stop();
});

test('the server publishes one diagnostic per tenant breach, errors and the rbac warning, at their lines', () => {
  assert.deepEqual(tenantDiagnostics(), [
    '1 cross-namespace-ref team-beta/deploy/release.yaml:15:20',
    '1 no-service-account team-beta/deploy/extra.yaml:4:9',
    '1 remote-base team-beta/deploy/kustomization.yaml:4:5',
    '1 tenant-escape team-beta/deploy/escape.yaml:14:14',
    '1 tenant-escape team-beta/deploy/escape.yaml:4:9',
    '2 rbac-broadening team-beta/deploy/rbac.yaml:9:9',
  ]);
  const escape = client.diagnostics.get(uri(path.join(dir, 'team-beta/deploy/escape.yaml')))!.find((d) => d.code === 'tenant-escape')!;
  assert.match(escape.message, /^Tenant beta, tenant-escape: .* Lockdown: --no-cross-namespace-refs=true at platform\/clusters\/prod\/flux-system\/kustomization\.yaml:9\. Fix: /);
});
