// Secrets never leave the engine: the CLI on test/fixtures/secrets (a marker planted in every kind of secret
// source) prints none of them, in any command or format; `build`/`kustomize --show-secrets` are the one way to see them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { leaks, MARKERS, SECRETS_FIXTURE } from '../helpers/secretMarkers';
import { substitute } from '../../server/src/core/kustomize/substitute';
import { checkFindings, main } from '../../server/src/cli';
import { lockCodeActions, lockHover } from '../../server/src/features/locks';
import { fleetSchemaDiagnostics } from '../../server/src/features/schemaDiagnostics';
import { loadFleet, materialize } from '../helpers/fixture';
import { isCiphertext, isSopsDocument, MASK, redactResource, redactValues, shownLeaf } from '../../server/src/core/redact';
import { stepLayer, valuesFromLayer } from '../../server/src/core/layer';

const root = path.resolve(__dirname, '../..');
/** The CLI in this process (its output captured): the same code as dist/cli.js, without a process per command. */
function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  const cwd = process.cwd();
  process.chdir(root);
  process.stdout.write = ((s: string) => ((out.stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((out.stderr += s), true)) as typeof process.stderr.write;
  try {
    return { status: main(args), ...out };
  } finally {
    Object.assign(process.stdout, { write: write.stdout });
    Object.assign(process.stderr, { write: write.stderr });
    process.chdir(cwd);
  }
}
const fixture = path.relative(root, SECRETS_FIXTURE);

/** Runs the CLI and asserts it succeeded and printed no secret (on stdout or stderr). */
function runClean(args: string[]): string {
  const r = cli(args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  assert.deepEqual(leaks(r.stdout + r.stderr), [], `flux-fleet ${args.join(' ')} shows a secret:\n${r.stdout}`);
  return r.stdout;
}

test('check (text, json, sarif) shows no secret', () => {
  for (const format of ['text', 'json', 'sarif']) runClean(['check', '--format', format, fixture]);
});

test('build masks Secret data and stringData (keys kept), generated Secrets, SOPS documents and substituted secrets', () => {
  const root = runClean(['build', 'flux-system/flux-system', fixture]);
  assert.match(root, /kind: Secret\nmetadata:\n  name: db-credentials[\s\S]*?/);
  assert.match(root, /data:\n  DB_USER_TOKEN: ••••\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: flux-system\nstringData:\n  DB_PASSWORD: ••••\n/);
  assert.match(root, /data:\n  API_TOKEN: ••••\n  SMTP_PASSWORD: ••••\n  tls\.key: ••••\nkind: Secret\nmetadata:\n  name: generated-credentials/);
  // A SOPS-encrypted ConfigMap: every value masked, its identity kept.
  assert.match(root, /data:\n  SETTINGS_KEY: ••••\n  SETTINGS_NOTE_unencrypted: ••••\nkind: ConfigMap\nmetadata:\n  name: sops-settings\n  namespace: flux-system\n/);
  // A kustomize replacement copying a Secret key into a ConfigMap: the copy is masked too.
  assert.match(root, /data:\n  COPIED_PASSWORD: ••••\nkind: ConfigMap\nmetadata:\n  name: copied-settings/);
  const apps = runClean(['build', 'flux-system/apps', fixture]);
  // A secret inside a longer string: only the secret part is masked.
  assert.match(apps, /value: postgres:\/\/app:••••@db\.example\.com:5432\/app\n/);
  assert.match(apps, /value: Bearer ••••\n/);
  assert.match(apps, /value: token=••••\n/);
  assert.match(apps, /value: copied:••••\n/);
  // An operator applied to a secret (a prefix of it) masks the whole expression.
  assert.match(apps, /name: PASSWORD_PREFIX\n\s+value: ••••\n/);
  assert.match(apps, /name: PUBLIC_HOST\n\s+value: db\.example\.com\n/);
  // Ciphertext inside a ConfigMap's values text: only the ciphertext is masked.
  assert.match(apps, /values\.yaml: \|\n\s+replicaCount: 2\n\s+auth:\n\s+cipher: ••••\n/);
});

test('build --show-secrets and kustomize --show-secrets print every secret, as kubectl does', () => {
  const shown = cli(['build', 'flux-system/flux-system', '--show-secrets', fixture]).stdout + cli(['build', 'flux-system/apps', '--show-secrets', fixture]).stdout;
  const b64 = (x: string) => Buffer.from(x).toString('base64');
  for (const m of Object.keys(MARKERS).filter((x) => !/APPUSER/.test(x))) assert.ok(shown.includes(m) || shown.includes(b64(m)) || shown.includes(b64(m + '\n')), `${m} shown with --show-secrets`);
  assert.match(shown, /value: postgres:\/\/app:MARKER-SECRET-STRINGDATA-7f3a@db\.example\.com:5432\/app\n/);
  assert.match(shown, /DB_USER_TOKEN: TUFSS0VSLVNFQ1JFVC1EQVRBLTdmM2E=\n/);
  const k = cli(['kustomize', '--show-secrets', `${fixture}/clusters/prod`]);
  assert.equal(k.status, 0, k.stderr);
  assert.match(k.stdout, /DB_PASSWORD: MARKER-SECRET-STRINGDATA-7f3a\n/);
});

test('kustomize masks secrets unless --show-secrets (with and without --provenance)', () => {
  const out = runClean(['kustomize', `${fixture}/clusters/prod`]);
  assert.match(out, /stringData:\n  DB_PASSWORD: ••••\n/);
  const prov = runClean(['kustomize', '--provenance', `${fixture}/clusters/prod`]);
  assert.match(prov, /DB_PASSWORD: •••• # .*db-credentials\.yaml:8 \(resource\)/);
});

test('values (yaml, json) masks values from Secrets, SOPS ciphertext and substituted secrets', () => {
  const yaml = runClean(['values', 'HelmRelease/apps/web', fixture]);
  assert.match(yaml, /^auth\.password: ••••  # .*web-secret-values\.yaml:7 \(valuesFrom\[0\] Secret web-secret-values\)$/m);
  assert.match(yaml, /^auth\.token: ••••  # /m);
  assert.match(yaml, /^auth\.cipher: ••••  # /m);
  assert.match(yaml, /^database\.url: postgres:\/\/app:••••@db:5432\/app  # /m);
  assert.match(yaml, /^database\.password: ••••  # /m);
  assert.match(yaml, /^database\.host: db\.example\.com  # /m);
  assert.match(yaml, /^replicaCount: 2  # /m);
  const json = JSON.parse(runClean(['values', 'HelmRelease/apps/web', '--format', 'json', fixture])) as Array<{ values: Array<{ path: string; value: unknown }> }>;
  assert.equal(json[0].values.find((v) => v.path === 'database.password')!.value, MASK);
  runClean(['values', 'App/apps/worker', fixture]);
  runClean(['values', 'App/apps/worker', '--format', 'json', fixture]);
  assert.match(runClean(['values', 'App/apps/worker', fixture]), /^worker\.password: ••••  # .*app-user-secret\.yaml:7 \(userConfig Secret\)$/m);
});

test('--show-secrets is for build and kustomize only', () => {
  assert.equal(cli(['values', 'HelmRelease/apps/web', '--show-secrets', fixture]).status, 2);
  assert.equal(cli(['check', '--show-secrets', fixture]).status, 2);
});

test('substitution marks the secret part of a string; redaction masks by place, provenance and ciphertext', () => {
  const vars: Record<string, string> = { PASSWORD: 'hunter2', HOST: 'db' };
  const r = substitute('postgres://u:${PASSWORD}@${HOST}/x ${PASSWORD:0:3} ${MISSING:=d}', (n) => vars[n], { is: (n) => n === 'PASSWORD', mask: MASK });
  assert.equal(r.text, 'postgres://u:hunter2@db/x hun d');
  assert.equal(r.masked, 'postgres://u:••••@db/x •••• d');
  assert.equal(substitute('${HOST}', (n) => vars[n], { is: (n) => n === 'PASSWORD', mask: MASK }).masked, undefined);

  assert.ok(isSopsDocument({ kind: 'ConfigMap', sops: { mac: 'x' } }));
  assert.ok(isSopsDocument({ sops: { lastmodified: 'x' } }));
  assert.ok(!isSopsDocument({ sops: 'not metadata' }) && !isSopsDocument({ sops: { version: '3' } }));
  assert.ok(isCiphertext('a ENC[AES256_GCM,data:abc,iv:d,tag:e,type:str] b') && !isCiphertext('ENC[not'));

  const secret = { obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'aGk=' }, stringData: { b: 'hi' } }, prov: new Map() };
  assert.deepEqual(redactResource(secret).obj, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: MASK }, stringData: { b: MASK } });
  assert.equal(secret.obj.stringData.b, 'hi', 'the engine keeps the real value');
  const dsn = { obj: { kind: 'Deployment', env: 'postgres://u:hunter2@db' }, prov: new Map([['/env', [{ file: 'f', layer: stepLayer('flux:postBuild'), value: 'postgres://u:hunter2@db', secret: true, masked: 'postgres://u:••••@db' }]]]) };
  assert.equal(shownLeaf(dsn, '/env', dsn.obj.env), 'postgres://u:••••@db');
  // Changed after the substitution (a later layer): the whole string is masked.
  assert.equal(shownLeaf(dsn, '/env', 'postgres://u:hunter2@db2'), MASK);
  const values = { a: { b: 'plain', c: 'x ENC[AES256_GCM,data:abc,iv:d,tag:e,type:str]' }, s: 'hunter2' };
  const prov = new Map([['/s', [{ file: 'f', layer: valuesFromLayer(0, 'Secret', 's'), value: MASK, secret: true }]]]);
  assert.deepEqual(redactValues(values, prov), { a: { b: 'plain', c: `x ${MASK}` }, s: MASK });
});

test('schema findings on a SOPS-encrypted document say which rule fails, not the value (as written and as deployed)', () => {
  // SOPS's default encrypts every value, spec included: the ciphertext breaks the schema's rules.
  const m = materialize(`
//- repo/clusters/prod/flux-system/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- repo/clusters/prod/private-repo.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: private
  namespace: flux-system
spec:
  interval: ENC[AES256_GCM,data:MARKER-SECRET-SCHEMA-7f3a,iv:a,tag:b,type:str]
  url: ENC[AES256_GCM,data:MARKER-SECRET-SCHEMAURL-7f3a,iv:a,tag:b,type:str]
  ref:
    branch: ENC[AES256_GCM,data:MARKER-SECRET-SCHEMABRANCH-7f3a,iv:a,tag:b,type:str]
  timeout: 5
sops:
  lastmodified: "2024-05-01T10:00:00Z"
  mac: ENC[AES256_GCM,data:bWFj,iv:a,tag:b,type:str]
  version: 3.8.1
`);
  const fleet = loadFleet(m.file('repo'));
  for (const evaluate of [false, true]) {
    const found = fleetSchemaDiagnostics(fleet, { evaluate }).filter((f) => f.file.endsWith('private-repo.yaml'));
    assert.ok(found.some((f) => /spec\.timeout: the value \(a secret, not shown\) fails the schema's type rule/.test(f.message)), found.map((f) => f.message).join('\n'));
    for (const f of found) assert.deepEqual(leaks(f.message), [], f.message);
  }
});

// ---- locks and build errors (test/fixtures/secrets-errors) -------------------------------------------------------

const errorsFixture = path.resolve(__dirname, '../fixtures/secrets-errors/platform');

test('check (text, json, sarif) on locked secrets and failing builds quotes no secret', () => {
  for (const format of ['text', 'json', 'sarif']) {
    const r = cli(['check', '--format', format, path.relative(root, errorsFixture)]);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(leaks(r.stdout + r.stderr), [], `check --format ${format} shows a secret:\n${r.stdout}`);
  }
});

test('kustomize-build-error messages that quote the input mask a secret there: a literal typo, node contents', () => {
  const fleet = loadFleet(errorsFixture);
  const errors = checkFindings(fleet, true, false).filter((f) => f.code === 'kustomize-build-error');
  const where = (f: (typeof errors)[number]) => `${path.relative(errorsFixture, f.file)} ${f.message.replace(/ \(building .*\)$/s, '')}`;
  assert.deepEqual(errors.map(where).sort(), [
    'broken/literal/kustomization.yaml invalid literal source ••••, expected key=value',
    'broken/node-kind/patch.yaml wrong node kind: expected MappingNode but got ScalarNode: node contents:\n••••',
  ]);
});

test('locked secrets: the finding, the lock hover on a removal and the quick-fixes never show the locked value', () => {
  const fleet = loadFleet(errorsFixture);
  const findings = checkFindings(fleet, true, false).filter((f) => f.code === 'locked-field');
  assert.equal(findings.length, 2, findings.map((f) => f.message).join('\n'));
  for (const f of findings) {
    assert.deepEqual(leaks(JSON.stringify(f)), [], f.message);
    const actions = lockCodeActions(fleet, f);
    assert.deepEqual(leaks(JSON.stringify(actions)), [], JSON.stringify(actions));
    // Resetting would copy the secret into the overriding file: only "Remove this override" (which puts it back).
    assert.deepEqual(actions.map((a) => a.title), ['Remove this override'], path.relative(errorsFixture, f.file));
  }
  const k = path.join(errorsFixture, 'clusters/prod/kustomization.yaml');
  const text = fleet.facts.get(k)!.text;
  const removal = lockHover(fleet, k, text.indexOf('op: remove') + 2);
  assert.ok(removal, 'a hover on the removal');
  assert.match(removal.markdown, /locked value "••••"; this patch removes it/);
  assert.deepEqual(leaks(removal.markdown), [], removal.markdown);
  const patch = path.join(errorsFixture, 'clusters/prod/override-patch.yaml');
  const over = lockHover(fleet, patch, fleet.facts.get(patch)!.text.indexOf('MARKER') + 3);
  assert.ok(over && !leaks(over.markdown).length, over?.markdown);
});
