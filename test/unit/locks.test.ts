// Locked fields, required fields and extension points on test/fixtures/locks: every layer kind that can override a
// locked value, each finding's code, range, related information and contexts, and each quick-fix's result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { locksFindings, lockFindingDetail } from '../../server/src/core/locks/check';
import { lockCodeActions, lockHover, lockKeyAdvice } from '../../server/src/features/locks';
import { offsetToLineCol } from '../../server/src/core/text';
import { completion } from '../../server/src/features/completion';
import * as fs from 'node:fs';
import type { Fleet } from '../../server/src/core/model';
import type { Finding } from '../../server/src/core/findings';

const dir = path.resolve(__dirname, '../fixtures/locks');
const fleet = loadFleet(dir);
const findings = locksFindings(fleet);

function at(fl: Fleet, f: { file: string; span: { start: number; end: number } }): string {
  const text = fl.facts.get(f.file)!.text;
  const s = offsetToLineCol(fl.facts.get(f.file)!.lineStarts, f.span.start);
  return `${path.relative(dir, f.file)}:${s.line + 1}:${s.character + 1} ${text.slice(f.span.start, f.span.end)}`;
}

function find(code: string, where: string): Finding {
  const f = findings.find((x) => x.code === code && at(fleet, x).startsWith(where));
  assert.ok(f, `no ${code} at ${where}; have:\n${findings.map((x) => `${x.code} ${at(fleet, x)}`).join('\n')}`);
  return f!;
}

function applyEdits(text: string, edits: Array<{ span: { start: number; end: number }; newText: string }>): string {
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
  return text;
}

/** The text of every file an action edits, after the edits; deleted files as null. */
function afterFix(f: Finding, title: RegExp): Record<string, string | null> {
  const action = lockCodeActions(fleet, f).find((a) => title.test(a.title));
  assert.ok(action, `no action ${title} for ${at(fleet, f)}: ${lockCodeActions(fleet, f).map((a) => a.title).join(', ')}`);
  const out: Record<string, string | null> = {};
  for (const file of new Set(action!.edits.map((e) => e.file))) out[path.relative(dir, file)] = applyEdits(fleet.facts.get(file)!.text, action!.edits.filter((e) => e.file === file));
  for (const file of action!.deleteFiles) out[path.relative(dir, file)] = null;
  return out;
}

const PROD_WEB = 'flux-system/web (platform/clusters/prod/flux-system)';
const STAGING_WEB = 'flux-system/web (platform/clusters/staging/flux-system)';
const PROD_API = 'flux-system/api (platform/clusters/prod/flux-system)';
const PROD_TENANT_B = 'flux-system/tenant-b (platform/clusters/prod/flux-system)';

test('every override of a locked field, by every layer kind, at the overriding line; nothing else', () => {
  const rows = findings.map((f) => `${f.code} ${f.severity} ${at(fleet, f)}`).sort();
  assert.deepEqual(rows, [
    'locked-field error tenant-a/apps/web/ingress-patch.yaml:10:20 haproxy', // strategic-merge patch
    'locked-field error tenant-a/apps/web/retries-ops.yaml:2:3 op: remove\n  path: /spec/install/remediation/retries', // JSON 6902 remove
    'locked-field error tenant-a/apps/web/values.yaml:3:13 docker.io/tenant-a', // generated ConfigMap → valuesFrom
    'locked-field error tenant-a/apps/web/version-ops.yaml:4:10 2.0.0', // JSON 6902 patch
    'locked-field error tenant-a/deploy/apps.yaml:23:28 traefik', // a parent's Flux spec.patches
    'locked-field error tenant-a/deploy/apps.yaml:32:21 my-cluster', // ${cluster_name}, at the variable's definition
    'locked-field error tenant-b/apps/api.yaml:16:17 docker.io/tenant-b', // inline spec.values
    'locked-field error tenant-b/apps/drift-patch.yaml:10:15 delete', // strategic-merge $patch: delete of a locked field's parent
    'locked-field error tenant-b/apps/drift-patch.yaml:7:11 null', // strategic-merge null
    'locked-field error tenant-b/apps/web-values.yaml:9:20 haproxy', // userConfig-style ConfigMap (block scalar)
    'locked-field error tenant-b/deploy/apps.yaml:11:20 kube-system', // an overlay's own resource
    'missing-required error tenant-b/apps/api.yaml:4:9 api', // policy required, on the tenant's own object
    'missing-required error tenant-b/apps/kustomization.yaml:4:5 https://github.com/locks-org/platform//bases/web?ref=main', // inline required, where the tenant includes the base
    'redundant-override hint tenant-b/apps/version-patch.yaml:8:16 1.2.3', // the locked value again
  ]);
});

test('locked-field: message, related information (the lock and its reason, the locked value) and contexts', () => {
  const f = find('locked-field', 'tenant-a/apps/web/version-ops.yaml:4');
  assert.equal(
    f.message,
    `spec.chart.spec.version is locked (chart versions are set by the platform): this patch changes it to "2.0.0" from the locked "1.2.3" (HelmRelease tenant-a/web, in ${PROD_WEB}, ${STAGING_WEB}). Only platform/** may change it.`,
  );
  assert.deepEqual(
    f.related!.map((r) => `${at(fleet, r)} | ${r.message}`),
    ['platform/bases/web/helmrelease.yaml:10:7 version | locked by # fleet:locked: chart versions are set by the platform'],
  );
  assert.deepEqual(lockFindingDetail(fleet, f)!.contexts, [PROD_WEB, STAGING_WEB]);

  // Inline and policy lock on the same field: both are related, and the chart's value is the locked one.
  const registry = find('locked-field', 'tenant-a/apps/web/values.yaml:3');
  assert.deepEqual(
    registry.related!.map((r) => `${at(fleet, r)} | ${r.message}`),
    [
      "platform/charts/web/values.yaml:2:3 registry | locked by # fleet:locked: images come from the platform's mirror",
      'platform/.flux-fleet.yaml:9:13 spec.values.image.registry | locked by the locks policy: registries and ingress classes are pinned by the platform',
    ],
  );
  assert.match(registry.message, /this values layer \(valuesFrom\[0\] ConfigMap web-values\) changes it to "docker.io\/tenant-a" from the locked "ghcr.io\/acme"/);

  // Policy lock: the related information also points at where the locked value is set.
  const internal = find('locked-field', 'tenant-a/deploy/apps.yaml:23');
  assert.deepEqual(
    internal.related!.map((r) => `${at(fleet, r)} | ${r.message}`),
    [
      'platform/.flux-fleet.yaml:9:41 "spec.values.ingress.*.className" | locked by the locks policy: registries and ingress classes are pinned by the platform',
      'platform/charts/web/values.yaml:10:16 nginx-internal | the locked value "nginx-internal" (chart-defaults)',
    ],
  );
  assert.match(internal.message, /this Flux spec.patches entry changes it to "traefik"/);
  assert.deepEqual(lockFindingDetail(fleet, internal)!.contexts, [PROD_WEB, STAGING_WEB]);

  const variable = find('locked-field', 'tenant-a/deploy/apps.yaml:32');
  assert.match(variable.message, /^spec\.values\.cluster is locked \(set from the cluster's variables\): this variable \(postBuild substitution\) changes it to "my-cluster"/);
  assert.equal(lockFindingDetail(fleet, variable)!.writeKind, 'variable');

  const ns = find('locked-field', 'tenant-b/deploy/apps.yaml:11');
  assert.equal(
    ns.message,
    `spec.targetNamespace is locked (tenants run under their own service account, in their own namespace): this resource changes it to "kube-system" where the lock leaves it unset (Kustomization flux-system/api, in ${PROD_TENANT_B}). Only platform/** may change it.`,
  );
  assert.deepEqual(lockFindingDetail(fleet, ns)!.contexts, [PROD_TENANT_B]);

  const userConfig = find('locked-field', 'tenant-b/apps/web-values.yaml:9');
  assert.deepEqual(lockFindingDetail(fleet, userConfig)!.contexts, [PROD_API]);
  assert.equal(lockFindingDetail(fleet, userConfig)!.field, 'spec.values.ingress.public.className');
});

test('redundant-override and missing-required', () => {
  const same = find('redundant-override', 'tenant-b/apps/version-patch.yaml:8');
  assert.equal(same.severity, 'hint');
  assert.equal(same.message, `spec.chart.spec.version is locked (chart versions are set by the platform): this patch sets the locked value "1.2.3" again (HelmRelease kube-system/web, in ${PROD_API}); it can be removed.`);

  const host = find('missing-required', 'tenant-b/apps/kustomization.yaml:4');
  assert.equal(host.message, `spec.values.ingress.host is required (every tenant serves its own host) but not set for HelmRelease kube-system/web in context ${PROD_API}.`);
  assert.deepEqual(host.related!.map((r) => `${at(fleet, r)} | ${r.message}`), ['platform/charts/web/values.yaml:6:3 host | required by # fleet:required: every tenant serves its own host']);
  const owner = find('missing-required', 'tenant-b/apps/api.yaml:4');
  assert.equal(owner.message, `spec.values.owner is required (every release names its owning team) but not set for HelmRelease kube-system/api in context ${PROD_API}.`);
  assert.deepEqual(owner.related!.map((r) => `${at(fleet, r)} | ${r.message}`), ['platform/.flux-fleet.yaml:18:13 spec.values.owner | required by the required policy: every release names its owning team']);
});

test('not findings: overrides inside the allowed scope, and tenant values that an allowed layer overrides again', () => {
  const inFiles = (rel: string) => findings.filter((f) => path.relative(dir, f.file) === rel);
  assert.deepEqual(inFiles('platform/clusters/prod/tenants.yaml'), []); // the platform's own Flux patches
  assert.ok(!findings.some((f) => at(fleet, f).includes('cluster-admin'))); // replaced by the platform's patch
  assert.ok(!findings.some((f) => at(fleet, f).includes('interval'))); // not locked
});

test('quick-fix "Remove this override": the key, the JSON 6902 operation, the patch entry and its file', () => {
  // A key of a strategic-merge patch: its now-empty parents go too; the rest (and its comment) stays.
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/apps/web/ingress-patch.yaml'), /Remove/), {
    'tenant-a/apps/web/ingress-patch.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  interval: 5m # we like it fast\n',
  });
  // One operation of a JSON 6902 list; the file's comment and the other operation stay.
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/apps/web/version-ops.yaml'), /Remove/), {
    'tenant-a/apps/web/version-ops.yaml': '# Newer chart, and our labels\n- op: add\n  path: /spec/values/podLabels\n  value:\n    team: a\n',
  });
  // A values file's key.
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/apps/web/values.yaml'), /Remove/), {
    'tenant-a/apps/web/values.yaml': "# tenant-a's values for web\nimage:\n  tag: 1.4.0\ningress:\n  host: web.a.example\nowner: team-a\n",
  });
  // A values block inside a ConfigMap: lines inside the block scalar.
  assert.deepEqual(afterFix(find('locked-field', 'tenant-b/apps/web-values.yaml'), /Remove/), {
    'tenant-b/apps/web-values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-values\ndata:\n  values.yaml: |\n    owner: team-b\n',
  });
  // A parent's Flux spec.patches entry with nothing else in it: the entry (and the emptied `patches:`) go.
  const apps = fleet.facts.get(path.join(dir, 'tenant-a/deploy/apps.yaml'))!.text;
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/deploy/apps.yaml:23'), /Remove/), {
    'tenant-a/deploy/apps.yaml': apps.replace(/  patches:\n[\s\S]*?\n  postBuild:/, '  postBuild:'),
  });
  // A variable's definition.
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/deploy/apps.yaml:32'), /Remove/), {
    'tenant-a/deploy/apps.yaml': apps.replace('      cluster_name: my-cluster # our own name, please\n', ''),
  });
  // The tenant's own resource: the field (and the parent it empties).
  assert.deepEqual(afterFix(find('locked-field', 'tenant-b/apps/api.yaml'), /Remove/), {
    'tenant-b/apps/api.yaml': fleet.facts.get(path.join(dir, 'tenant-b/apps/api.yaml'))!.text.replace('    image:\n      registry: docker.io/tenant-b\n', ''),
  });
  assert.deepEqual(afterFix(find('locked-field', 'tenant-b/deploy/apps.yaml'), /Remove/), {
    'tenant-b/deploy/apps.yaml': fleet.facts.get(path.join(dir, 'tenant-b/deploy/apps.yaml'))!.text.replace('  targetNamespace: kube-system\n', ''),
  });
  // A patch file with nothing left: deleted, and its entry leaves the kustomization.
  assert.deepEqual(afterFix(find('redundant-override', 'tenant-b/apps/version-patch.yaml'), /Remove/), {
    'tenant-b/apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - https://github.com/locks-org/platform//bases/web?ref=main\n  - api.yaml\n  - web-values.yaml\npatches:\n  - path: drift-patch.yaml\n',
    'tenant-b/apps/version-patch.yaml': null,
  });
});

test('quick-fix "Reset to the locked value": the scalar only; not for a templated or unset locked value', () => {
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/apps/web/version-ops.yaml'), /Reset/), {
    'tenant-a/apps/web/version-ops.yaml': '# Newer chart, and our labels\n- op: replace\n  path: /spec/chart/spec/version\n  value: 1.2.3\n- op: add\n  path: /spec/values/podLabels\n  value:\n    team: a\n',
  });
  const apps = fleet.facts.get(path.join(dir, 'tenant-a/deploy/apps.yaml'))!.text;
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/deploy/apps.yaml:23'), /Reset/), { 'tenant-a/deploy/apps.yaml': apps.replace('className: traefik', 'className: nginx-internal') });
  assert.deepEqual(afterFix(find('locked-field', 'tenant-b/apps/web-values.yaml'), /Reset/), {
    'tenant-b/apps/web-values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-values\ndata:\n  values.yaml: |\n    ingress:\n      public:\n        className: nginx\n    owner: team-b\n',
  });
  const titles = (where: string) => lockCodeActions(fleet, find('locked-field', where)).map((a) => a.title);
  assert.deepEqual(titles('tenant-a/apps/web/values.yaml'), ['Remove this override', 'Reset to the locked value ghcr.io/acme']);
  assert.deepEqual(titles('tenant-a/deploy/apps.yaml:32'), ['Remove this override']); // locked value is ${cluster_name}
  assert.deepEqual(titles('tenant-b/deploy/apps.yaml'), ['Remove this override']); // unset
  assert.deepEqual(lockCodeActions(fleet, find('redundant-override', 'tenant-b')).map((a) => a.title), ['Remove this override']);
});

function hoverAt(rel: string, needle: string): string | undefined {
  const file = path.join(dir, rel);
  const text = fleet.facts.get(file)!.text;
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return lockHover(fleet, file, i + 1)?.markdown;
}

test('hover: on an overriding value, on a lock declaration, on required fields and extension points', () => {
  assert.equal(
    hoverAt('tenant-a/apps/web/version-ops.yaml', '2.0.0'),
    [
      '**🔒 Locked field** `spec.chart.spec.version` — chart versions are set by the platform',
      '- declared by `# fleet:locked` at `platform/bases/web/helmrelease.yaml:10`',
      '- overrides allowed only in `platform/**`',
      `- locked value "1.2.3"; here "2.0.0" (HelmRelease tenant-a/web, in 2 contexts: ${PROD_WEB}, ${STAGING_WEB})`,
    ].join('\n'),
  );
  // Inside a Flux Kustomization's spec.patches (written into its child's build).
  assert.match(hoverAt('tenant-a/deploy/apps.yaml', 'traefik')!, /^\*\*🔒 Locked field\*\* `spec\.values\.ingress\.internal\.className` — registries and ingress classes are pinned by the platform\n- declared by the `locks` policy at `platform\/\.flux-fleet\.yaml:9`/);
  // The declaration lists where it is overridden.
  assert.equal(
    hoverAt('platform/bases/web/helmrelease.yaml', 'version: 1.2.3'),
    [
      '**🔒 Locked field** `spec.chart.spec.version` — chart versions are set by the platform',
      '- declared by `# fleet:locked` at `platform/bases/web/helmrelease.yaml:10`',
      '- overrides allowed only in `platform/**`',
      '- overridden outside the allowed scope at 2 places:',
      '  - `tenant-a/apps/web/version-ops.yaml:4` (locked-field)',
      '  - `tenant-b/apps/version-patch.yaml:8` (redundant-override)',
    ].join('\n'),
  );
  assert.match(hoverAt('platform/.flux-fleet.yaml', 'spec.values.owner')!, /^\*\*Required field\*\* `spec\.values\.owner` — every release names its owning team\n[\s\S]*- missing at 1 place:\n  - `tenant-b\/apps\/api\.yaml:4` \(missing-required\)/);
  assert.match(hoverAt('tenant-a/apps/web/values.yaml', 'web.a.example')!, /^\*\*Required field\*\* `spec\.values\.ingress\.host` — every tenant serves its own host/);
  assert.match(hoverAt('platform/charts/web/values.yaml', 'resources')!, /^\*\*Extension point\*\* `resources` — requests and limits are yours to set\n- declared by `# fleet:extension` at `platform\/charts\/web\/values\.yaml:11`\n- tenants are invited to add here/);
  // Unlocked values: nothing to say.
  assert.equal(hoverAt('tenant-a/apps/web/ingress-patch.yaml', '5m'), undefined);
});

test('completion advice: locked keys left out of patches outside the allowed scope, required keys first', () => {
  const tenantPatch = path.join(dir, 'tenant-a/apps/web/ingress-patch.yaml');
  const chart = lockKeyAdvice(fleet, tenantPatch, { kind: 'HelmRelease', name: 'web' }, ['spec', 'chart', 'spec']);
  assert.deepEqual([...chart.locked.keys()], ['version']);
  const values = lockKeyAdvice(fleet, tenantPatch, { kind: 'HelmRelease', name: 'web' }, ['spec', 'values']);
  assert.deepEqual([...values.locked.keys()], ['cluster']);
  assert.deepEqual([...values.required.keys()], ['owner']);
  const platformFile = path.join(dir, 'platform/bases/web/helmrelease.yaml');
  assert.deepEqual([...lockKeyAdvice(fleet, platformFile, { kind: 'HelmRelease', name: 'web' }, ['spec', 'chart', 'spec']).locked.keys()], []);
});

test('quick-fixes from a diagnostic alone: a fresh fleet evaluates only the contexts that write the file', () => {
  const fresh = loadFleet(dir);
  for (const f of findings.filter((x) => x.code !== 'missing-required')) {
    const fromDiagnostic = { file: f.file, span: f.span, code: f.code };
    assert.deepEqual(
      lockCodeActions(fresh, fromDiagnostic).map((a) => a.title),
      lockCodeActions(fleet, f).map((a) => a.title),
      at(fleet, f),
    );
  }
  assert.deepEqual(lockCodeActions(fresh, { file: path.join(dir, 'tenant-a/apps/web/values.yaml'), span: { start: 0, end: 3 }, code: 'locked-field' }), []);
});

test('completion: keys locked against a tenant file are not offered there', () => {
  const dir = path.resolve(__dirname, '../fixtures/locks');
  const fleet = loadFleet(dir);
  const withoutKeys = (file: string) => {
    const text = fs.readFileSync(file, 'utf8').replace(/^  serviceAccountName: .*\n/m, '').replace(/^  targetNamespace: .*\n/m, '');
    const at = text.indexOf('  sourceRef:');
    const edited = text.slice(0, at) + '  \n' + text.slice(at);
    fleet.setOverlay(file, edited);
    const labels = completion(fleet, file, at + 2).map((i) => i.label);
    fleet.clearOverlay(file);
    return labels;
  };
  const tenant = withoutKeys(path.join(dir, 'tenant-b/deploy/apps.yaml'));
  assert.ok(tenant.includes('timeout'), tenant.join(', '));
  assert.ok(!tenant.includes('serviceAccountName') && !tenant.includes('targetNamespace'), tenant.join(', '));
});

test('removing a locked field: JSON 6902 remove, strategic-merge null, $patch: delete of its parent; at the removing line', () => {
  const ops = find('locked-field', 'tenant-a/apps/web/retries-ops.yaml:2');
  assert.equal(
    ops.message,
    `spec.install.remediation.retries is locked (failed installs are retried the platform's way): this patch removes this locked field (the locked value 3; HelmRelease tenant-a/web, in ${PROD_WEB}, ${STAGING_WEB}). Only platform/** may change it.`,
  );
  assert.deepEqual(ops.related!.map((r) => `${at(fleet, r)} | ${r.message}`), ["platform/bases/web/helmrelease.yaml:23:7 retries | locked by # fleet:locked: failed installs are retried the platform's way"]);
  assert.deepEqual(lockFindingDetail(fleet, ops)!.removal, { pointer: '/spec/install/remediation/retries', value: 3 });
  assert.deepEqual(lockFindingDetail(fleet, ops)!.contexts, [PROD_WEB, STAGING_WEB]);

  const nulled = find('locked-field', 'tenant-b/apps/drift-patch.yaml:7');
  assert.equal(
    nulled.message,
    `spec.driftDetection.mode is locked (drift is corrected in every cluster): this patch removes this locked field (the locked value "enabled"; HelmRelease kube-system/web, in ${PROD_API}). Only platform/** may change it.`,
  );
  const deleted = find('locked-field', 'tenant-b/apps/drift-patch.yaml:10');
  assert.match(deleted.message, /^spec\.install\.remediation\.retries is locked \(failed installs are retried the platform's way\): this patch removes spec\.install\.remediation, and this locked field with it \(the locked value 3;/);
  assert.deepEqual(lockFindingDetail(fleet, deleted)!.removal, { pointer: '/spec/install/remediation', value: { retries: 3 } });
  // The unlocked parts of the same patches are not findings.
  assert.ok(!findings.some((f) => at(fleet, f).includes('timeout')));
});

test('quick-fixes for a removal: "Remove this override" takes the operation, the null key or the $patch map; no reset', () => {
  const text = (rel: string) => fleet.facts.get(path.join(dir, rel))!.text;
  for (const where of ['tenant-a/apps/web/retries-ops.yaml:2', 'tenant-b/apps/drift-patch.yaml:7', 'tenant-b/apps/drift-patch.yaml:10']) {
    assert.deepEqual(lockCodeActions(fleet, find('locked-field', where)).map((a) => a.title), ['Remove this override'], where);
  }
  assert.deepEqual(afterFix(find('locked-field', 'tenant-a/apps/web/retries-ops.yaml:2'), /Remove/), {
    'tenant-a/apps/web/retries-ops.yaml': '# We would rather see a failed install at once\n- op: add\n  path: /spec/timeout\n  value: 10m\n',
  });
  assert.deepEqual(afterFix(find('locked-field', 'tenant-b/apps/drift-patch.yaml:7'), /Remove/), {
    'tenant-b/apps/drift-patch.yaml': text('tenant-b/apps/drift-patch.yaml').replace('  driftDetection:\n    mode: null # we correct drift by hand\n', ''),
  });
  assert.deepEqual(afterFix(find('locked-field', 'tenant-b/apps/drift-patch.yaml:10'), /Remove/), {
    'tenant-b/apps/drift-patch.yaml': text('tenant-b/apps/drift-patch.yaml').replace('  install:\n    remediation:\n      $patch: delete\n', ''),
  });
});

test('a removal is superseded when a later layer sets the field again', () => {
  const fresh = loadFleet(dir);
  const file = path.join(dir, 'tenant-a/apps/web/retries-ops.yaml');
  const apps = path.join(dir, 'tenant-a/deploy/apps.yaml');
  const rows = (fl: Fleet) => locksFindings(fl).filter((f) => f.file === file || (f.file === apps && !/traefik|my-cluster/.test(at(fl, f)))).map((f) => `${f.code} ${at(fl, f)}`);
  // The same patch adds the field back with another value: that value is the override now, not the removal.
  const ops = fresh.facts.get(file)!.text;
  fresh.setOverlay(file, ops + '- op: add\n  path: /spec/install/remediation/retries\n  value: 0\n');
  assert.deepEqual(rows(fresh), ['locked-field tenant-a/apps/web/retries-ops.yaml:9:10 0']);
  // With the locked value again: only the redundant write is left.
  fresh.setOverlay(file, ops + '- op: add\n  path: /spec/install/remediation/retries\n  value: 3\n');
  assert.deepEqual(rows(fresh), ['redundant-override tenant-a/apps/web/retries-ops.yaml:9:10 3']);
  fresh.clearOverlay(file);
  // A later layer (the tenant's Flux spec.patches, after the kustomize build) writes the parent back, holding it.
  const text = fresh.facts.get(apps)!.text;
  const patch = '    - patch: |\n        apiVersion: helm.toolkit.fluxcd.io/v2\n        kind: HelmRelease\n        metadata:\n          name: web\n        spec:\n          install:\n            remediation:\n              retries: 3\n      target:\n        kind: HelmRelease\n';
  fresh.setOverlay(apps, text.replace('  patches:\n', '  patches:\n' + patch));
  assert.deepEqual(rows(fresh), ['redundant-override tenant-a/deploy/apps.yaml:22:24 3']);
  fresh.clearOverlay(apps);
  // A locked HelmRelease value removed from the inline values: no values layer sets it, so it is gone (and so is the
  // variable override that used to replace it).
  fresh.setOverlay(file, ops + '- op: remove\n  path: /spec/values/cluster\n');
  const cluster = locksFindings(fresh).filter((f) => /values\.cluster/.test(f.message));
  assert.deepEqual(cluster.map((f) => `${f.code} ${at(fresh, f)}`), ['locked-field tenant-a/apps/web/retries-ops.yaml:7:3 op: remove\n  path: /spec/values/cluster']);
  assert.match(cluster[0].message, /^spec\.values\.cluster is locked \(set from the cluster's variables\): this patch removes this locked field \(the locked value "\$\{cluster_name\}";/);
});

test('hover on a removal that breaks a lock: the JSON 6902 remove (operation or path), the `key: null`, the `$patch: delete`', () => {
  const hover = (fl: Fleet, rel: string, needle: string) => {
    const file = path.join(dir, rel);
    const text = fl.facts.get(file)!.text;
    const i = text.indexOf(needle);
    assert.ok(i >= 0, needle);
    const h = lockHover(fl, file, i + 1);
    return h && { markdown: h.markdown, text: text.slice(h.span.start, h.span.end) };
  };
  const retries = [
    "**🔒 Locked field** `spec.install.remediation.retries` — failed installs are retried the platform's way",
    '- declared by `# fleet:locked` at `platform/bases/web/helmrelease.yaml:23`',
    '- overrides allowed only in `platform/**`',
  ];
  const op = { markdown: [...retries, `- locked value 3; this patch removes it (HelmRelease tenant-a/web, in 2 contexts: ${PROD_WEB}, ${STAGING_WEB})`].join('\n'), text: '- op: remove\n  path: /spec/install/remediation/retries' };
  assert.deepEqual(hover(fleet, 'tenant-a/apps/web/retries-ops.yaml', 'op: remove'), op);
  assert.deepEqual(hover(fleet, 'tenant-a/apps/web/retries-ops.yaml', '/spec/install/remediation/retries'), op);
  // The operation next to it removes nothing locked.
  assert.equal(hover(fleet, 'tenant-a/apps/web/retries-ops.yaml', 'op: add'), undefined);
  // Strategic merge: on the key or the null; on the `$patch` or `delete` (a parent of the locked field).
  const nulled = {
    markdown: [
      '**🔒 Locked field** `spec.driftDetection.mode` — drift is corrected in every cluster',
      '- declared by `# fleet:locked` at `platform/bases/web/helmrelease.yaml:25`',
      '- overrides allowed only in `platform/**`',
      `- locked value "enabled"; this patch removes it (HelmRelease kube-system/web, in 1 context: ${PROD_API})`,
    ].join('\n'),
    text: 'mode: null',
  };
  assert.deepEqual(hover(fleet, 'tenant-b/apps/drift-patch.yaml', 'mode: null'), nulled);
  assert.deepEqual(hover(fleet, 'tenant-b/apps/drift-patch.yaml', 'null'), nulled);
  assert.equal(hover(fleet, 'tenant-b/apps/drift-patch.yaml', '# we correct'), undefined);
  const deleted = {
    markdown: [...retries, `- locked value 3; this patch removes \`spec.install.remediation\`, and this field with it (HelmRelease kube-system/web, in 1 context: ${PROD_API})`].join('\n'),
    text: '$patch: delete',
  };
  assert.deepEqual(hover(fleet, 'tenant-b/apps/drift-patch.yaml', '$patch'), deleted);
  assert.deepEqual(hover(fleet, 'tenant-b/apps/drift-patch.yaml', 'delete'), deleted);
  // A locked value of the release's values (an inline mark in the platform's spec.values), removed from the resource.
  const fresh = loadFleet(dir);
  const ops = path.join(dir, 'tenant-a/apps/web/retries-ops.yaml');
  fresh.setOverlay(ops, fresh.facts.get(ops)!.text + '- op: remove\n  path: /spec/values/cluster\n');
  assert.match(hover(fresh, 'tenant-a/apps/web/retries-ops.yaml', '/spec/values/cluster')!.markdown, /^\*\*🔒 Locked field\*\* `spec\.values\.cluster` — set from the cluster's variables\n[\s\S]*- locked value "\$\{cluster_name\}"; this patch removes it \(HelmRelease tenant-a\/web, in 2 contexts/);
  // Inside the allowed scope the hover says so.
  const base = path.join(dir, 'platform/bases/web/kustomization.yaml');
  fresh.setOverlay(base, fresh.facts.get(base)!.text + 'patches:\n  - path: mode-ops.yaml\n    target:\n      kind: HelmRelease\n');
  const modeOps = path.join(dir, 'platform/bases/web/mode-ops.yaml');
  fresh.setOverlay(modeOps, '- op: remove\n  path: /spec/driftDetection/mode\n');
  assert.match(hover(fresh, 'platform/bases/web/mode-ops.yaml', 'op: remove')?.markdown ?? '', /- locked value "enabled"; this patch removes it; this file is allowed to \(HelmRelease /);
});

test("a JSON 6902 operation last in a Flux Kustomization's spec.patches block: its removal's finding and hover on its lines", () => {
  const fresh = loadFleet(dir);
  const apps = path.join(dir, 'tenant-a/deploy/apps.yaml');
  const patch = '    - patch: |\n        - op: add\n          path: /spec/values/image\n          value:\n            registry: docker.io/tenant-a\n            pullPolicy: Always\n        - op: remove\n          path: /spec/driftDetection\n      target:\n        kind: HelmRelease\n';
  fresh.setOverlay(apps, fresh.facts.get(apps)!.text.replace('  patches:\n', '  patches:\n' + patch));
  const rows = locksFindings(fresh).filter((f) => f.file === apps && !/traefik|my-cluster/.test(at(fresh, f))).map((f) => `${f.code} ${at(fresh, f)}`).sort();
  assert.equal(rows.length, 2, rows.join('\n'));
  // (The operation's value, or better the leaf itself: either way on line 18 and holding the value.)
  assert.match(rows[0], /^locked-field tenant-a\/deploy\/apps\.yaml:18:\d+ (registry: )?docker\.io\/tenant-a/);
  assert.equal(rows[1], 'locked-field tenant-a/deploy/apps.yaml:20:11 op: remove\n          path: /spec/driftDetection');
  const text = fresh.facts.get(apps)!.text;
  const h = lockHover(fresh, apps, text.indexOf('/spec/driftDetection') + 2)!;
  assert.equal(text.slice(h.span.start, h.span.end), '- op: remove\n          path: /spec/driftDetection');
  assert.match(h.markdown, /^\*\*🔒 Locked field\*\* `spec\.driftDetection\.mode` — drift is corrected in every cluster\n[\s\S]*- locked value "enabled"; this patch removes `spec\.driftDetection`, and this field with it/);
});

/**
 * Completion labels (with their sort text, required first) at `$0` of an edited copy of a fixture file; `others`
 * edits other fixture files first.
 */
function completeIn(rel: string, edit: (text: string) => string, others: Record<string, (text: string) => string> = {}): string[] {
  const fl = loadFleet(dir);
  for (const [other, change] of Object.entries(others)) fl.setOverlay(path.join(dir, other), change(fl.facts.get(path.join(dir, other))!.text));
  const file = path.join(dir, rel);
  const text = edit(fl.facts.get(file)!.text);
  const cursor = text.indexOf('$0');
  assert.ok(cursor >= 0, 'no $0');
  fl.setOverlay(file, text.replace('$0', ''));
  return completion(fl, file, cursor)
    .sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0))
    .map((i) => `${i.label}${i.detail ? ` (${i.detail})` : ''}`);
}

test('completion in a values file (no kind) that a HelmRelease consumes: its values keys, locked ones left out, required first', () => {
  const values = 'tenant-a/apps/web/values.yaml';
  // At the root: `cluster` is locked (inline, in the platform's HelmRelease); `owner` is required by the policy.
  assert.deepEqual(completeIn(values, (t) => t.replace('owner: team-a\n', '$0\n')), ['owner (required by the platform)', 'podLabels (effective {"team":"a"})', 'resources (chart default {})']);
  // Under image: the registry is locked (the chart's `# fleet:locked` and the policy).
  assert.deepEqual(completeIn(values, (t) => t.replace('  tag: 1.4.0\n', '  tag: 1.4.0\n  $0\n')), ['repository (chart default "web")']);
  // Under ingress: the chart's `# fleet:required` host first; under a class, the locked className is not offered.
  assert.deepEqual(completeIn(values, (t) => t.replace('  host: web.a.example\n', '  $0\n')), ['host (chart default "" · required by the platform)', 'internal (chart default {"className":"nginx-internal"})', 'public (chart default {"className":"nginx"})']);
  assert.deepEqual(completeIn(values, (t) => t.replace('  host: web.a.example\n', '  host: x\n  public:\n    $0\n')), []);
});

test('completion in inline spec.values of a tenant HelmRelease: locked keys left out, required first', () => {
  const api = 'tenant-b/apps/api.yaml';
  assert.deepEqual(completeIn(api, (t) => t.replace('      registry: docker.io/tenant-b\n', '      $0\n')), ['repository (chart default "web")', 'tag (chart default "1.0.0")']);
  assert.deepEqual(completeIn(api, (t) => t.replace('    ingress:\n', '    $0\n    ingress:\n')), ['owner (required by the platform)', 'resources (chart default {})']);
});

test("completion in inline spec.values applies the chart values.yaml's marks: its required keys first, its locked keys left out outside the allowed scope", () => {
  const api = 'tenant-b/apps/api.yaml';
  // `ingress.host` is `# fleet:required` in the platform chart's values.yaml (no policy says so).
  assert.deepEqual(completeIn(api, (t) => t.replace('      host: api.b.example\n', '      $0\n')), ['host (chart default "" · required by the platform)', 'internal (chart default {"className":"nginx-internal"})', 'public (chart default {"className":"nginx"})']);
  // A key locked only by the chart's own mark: not offered to the tenant, offered in the platform's release.
  const chart = { 'platform/charts/web/values.yaml': (t: string) => t.replace('  tag: 1.0.0\n', '  tag: 1.0.0 # fleet:locked the platform picks the tag\n') };
  assert.deepEqual(completeIn(api, (t) => t.replace('      registry: docker.io/tenant-b\n', '      $0\n'), chart), ['repository (chart default "web")']);
  const platform = 'platform/bases/web/helmrelease.yaml';
  assert.deepEqual(
    completeIn(platform, (t) => t.replace('    cluster: ${cluster_name}', '    image:\n      $0\n    cluster: ${cluster_name}'), chart),
    ['registry (chart default "ghcr.io/acme")', 'repository (chart default "web")', 'tag (chart default "1.0.0")'],
  );
});

test('completion in a values file follows edits to the HelmRelease that consumes it (same fleet, no stale feeds)', () => {
  const fl = loadFleet(dir);
  const file = path.join(dir, 'tenant-a/apps/web/values.yaml');
  const release = path.join(dir, 'platform/bases/web/helmrelease.yaml');
  const at = (text: string) => {
    const cursor = text.indexOf('$0');
    fl.setOverlay(file, text.replace('$0', ''));
    return completion(fl, file, cursor).map((i) => i.label).sort();
  };
  const rootEdit = fl.facts.get(file)!.text.replace('owner: team-a\n', '$0\n');
  assert.ok(at(rootEdit).includes('podLabels'));
  // The release now takes the file as one string at a path: its keys are no longer values keys of the release.
  const text = fl.facts.get(release)!.text;
  const edited = text.replace('      name: web-values\n', '      name: web-values\n      targetPath: raw\n');
  assert.notEqual(edited, text);
  fl.setOverlay(release, edited);
  assert.ok(!at(rootEdit).includes('podLabels'), 'the feeds were computed before the release changed');
});
