// Effective values and variables through the real server: hovers per context, value diagnostics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, positionOf, uri } from '../helpers/lspClient';

const dir = path.resolve(__dirname, '../fixtures/values');
let client: LspClient;

before(async () => {
  client = await LspClient.start([path.join(dir, 'platform'), path.join(dir, 'tenant')]);
  // Value findings come after the link findings, from the evaluated builds.
  await client.waitFor(() => (client.diagnostics.get(uri(path.join(dir, 'tenant/app/release.yaml'))) ?? []).some((d) => d.code === 'undefined-variable'));
});
after(async () => client?.stop());

const hoverAt = async (rel: string, needle: string, delta: number) => {
  const file = path.join(dir, rel);
  const text = fs.readFileSync(file, 'utf8');
  const h = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri(file) }, position: positionOf(text, needle, delta) });
  return h?.contents.value ?? '';
};

test('hover on an inline value shows the effective value, the layer that set it and what it overrode', async () => {
  const md = await hoverAt('tenant/app/release.yaml', 'replicaCount: 2', 14);
  // One row: context → value → the layer and line that set it → what it overrode.
  assert.match(md, /^\| flux-system\/tenant \| `5` \| spec\.values \(flux:patches\) · `platform\/clusters\/prod\/tenant\.yaml:32` \| `3` spec\.values \(patches\) · `tenant\/app\/replicas-patch\.yaml:7` \(\+3 beneath\) \|$/m);
});

test('hover on a values file line (fed through a generated ConfigMap) shows the HelmRelease value', async () => {
  const md = await hoverAt('tenant/app/values.yaml', 'web.${cluster_name}', 2);
  assert.match(md, /"web\.prod\.example"/);
  assert.match(md, /`values\.ingress\.host` of HelmRelease apps\/web/);
});

test('hover on ${VAR} shows its value per context and where it is defined', async () => {
  const md = await hoverAt('tenant/app/release.yaml', '${cluster_name}', 3);
  assert.match(md, /`"prod"` on 1 context .* flux:postBuild\.substituteFrom ConfigMap cluster-vars at platform\/clusters\/prod\/vars\.yaml:7/);
  const env = await hoverAt('tenant/app/release.yaml', '${env}', 3);
  assert.match(env, /`"production"` .* flux:postBuild\.substitute at platform\/clusters\/prod\/tenant\.yaml:37/);
  const owner = await hoverAt('tenant/app/release.yaml', '${owner}', 3);
  assert.match(owner, /`undefined`/);
});

test('value diagnostics arrive with their codes', async () => {
  const codes = [...client.diagnostics.values()].flat().map((d) => d.code).sort();
  assert.deepEqual([...new Set(codes)], ['ineffective-override', 'substitution-disabled', 'undefined-variable', 'values-key-not-found']);
  const owner = client.diagnostics.get(uri(path.join(dir, 'tenant/app/release.yaml')))!.find((d) => d.code === 'undefined-variable')!;
  assert.equal(owner.severity, 1);
  assert.deepEqual(owner.range, { start: { line: 26, character: 11 }, end: { line: 26, character: 19 } });
});

test('contexts can be listed and pinned: hovers then answer for that context', async () => {
  const contexts = await client.request<Array<{ id: string; label: string; name: string }>>('fluxFleet/contexts', {});
  const tenant = contexts.find((c) => c.name === 'flux-system/tenant')!;
  assert.equal(tenant.label, 'platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/tenant');
  await client.notify('fluxFleet/pinContext', { id: tenant.id });
  assert.match(await hoverAt('tenant/app/release.yaml', 'replicaCount: 2', 14), /\(pinned\)/);
  await client.notify('fluxFleet/pinContext', {});
  assert.doesNotMatch(await hoverAt('tenant/app/release.yaml', 'replicaCount: 2', 14), /\(pinned\)/);
});
