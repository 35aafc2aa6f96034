// Objects the cluster makes (test/fixtures/provided): references to them resolve to their producer, copies carry
// their source's values per context, and variables only an opaque source could hold are unknown, not undefined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingLines, loadFleet, materialize } from '../helpers/fixture';
import { hover } from '../../server/src/features/hover';
import { variableHover } from '../../server/src/features/variableHover';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel, deployerName } from '../../server/src/core/evaluate/contextId';
import { evaluationFindings } from '../../server/src/core/evaluate/valueFindings';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { offsetToLineCol } from '../../server/src/core/text';
import type { Fleet } from '../../server/src/core/model';

const dir = path.resolve(__dirname, '../fixtures/provided');
const file = (rel: string) => path.join(dir, 'platform', rel);

/** What the reference at `needle` (its `nth` occurrence) in a file resolved to. */
function refAt(fleet: Fleet, rel: string, needle: string, nth = 0): string {
  const f = file(rel);
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = fleet.facts.get(f)!.text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} not in ${rel}`);
  const ref = (fleet.links.refsByFile.get(f) ?? []).find((r) => r.span.start <= offset && offset < r.span.end);
  return ref?.description ?? '(no reference)';
}

test('every producer makes its reference resolve; a reference nothing makes is still reported', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  assert.deepEqual(findingLines(fleet, dir), ['object-not-found platform/apps/shop/release.yaml:41:13']);
  const release = 'apps/shop/release.yaml';
  assert.equal(refAt(fleet, release, 'web-basic-auth'), 'Secret shop/web-basic-auth: made in the cluster by SealedSecret shop/web-basic-auth (platform/apps/shop/secrets.yaml:4)');
  assert.equal(refAt(fleet, release, 'web-tls'), 'Secret shop/web-tls: made in the cluster by Certificate shop/web-cert (platform/apps/shop/secrets.yaml:13)');
  assert.equal(refAt(fleet, release, 'registry-creds'), 'Secret shop/registry-creds: made in the cluster by Kyverno ClusterPolicy copy-runtime-info, rule registry-credentials (clone) (platform/infrastructure/policies.yaml:4), a copy of Secret flux-system/registry-creds');
  assert.equal(refAt(fleet, release, 'web-konfig'), 'ConfigMap shop/web-konfig: made in the cluster by Konfiguration shop/shop-apps (platform/apps/shop/secrets.yaml:25)');
  assert.equal(refAt(fleet, release, 'web-konfig', 1), 'Secret shop/web-konfig: made in the cluster by Konfiguration shop/shop-apps (platform/apps/shop/secrets.yaml:25)');
  assert.equal(refAt(fleet, release, 'api-konfiguration'), 'Secret shop/api-konfiguration: declared provided in platform/.flux-fleet.yaml:4: made by konfigure-operator from Konfiguration CRs');
  assert.equal(refAt(fleet, release, 'zone-info'), 'ConfigMap shop/zone-info: made in the cluster by Kyverno ClusterPolicy copy-runtime-info, rule zone (data) (platform/infrastructure/policies.yaml:4)');
  assert.match(refAt(fleet, release, 'runtime-info'), /^ConfigMap shop\/runtime-info: made in the cluster by Kyverno ClusterPolicy copy-runtime-info, rule runtime-configmaps \(cloneList\) \(platform\/infrastructure\/policies.yaml:4\), a copy of ConfigMap flux-system\/runtime-info \(platform\/clusters\/(prod|staging)\/runtime-info.yaml:4\)$/);
  assert.equal(refAt(fleet, 'tenants/billing/sync.yaml', 'billing-env'), 'Secret billing/billing-env: made in the cluster by ExternalSecret billing/billing-db (platform/tenants/billing/external-secret.yaml:4)');
});

test('hover on a reference to a provided object says who provides it, and leads to the producer', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const f = file('apps/shop/release.yaml');
  const h = hover(fleet, f, fleet.facts.get(f)!.text.indexOf('web-tls'));
  assert.ok(h);
  assert.match(h!.markdown, /Secret shop\/web-tls: made in the cluster by Certificate shop\/web-cert/);
  assert.match(h!.markdown, /platform\/apps\/shop\/secrets\.yaml:13/);
});

function contextOf(fleet: Fleet, cluster: string, name: string) {
  const ctx = allContexts(fleet, rootKustomizations(fleet)).find((c) => deployerName(c.id) === name && c.id.root.includes(`clusters/${cluster}`));
  assert.ok(ctx, `no context ${cluster} ${name}`);
  return ctx!;
}

test('a substituteFrom naming a Kyverno cloneList copy or a copyFrom ConfigMap takes its source\'s values per cluster', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  for (const cluster of ['prod', 'staging']) {
    const ctx = contextOf(fleet, cluster, 'shop/shop');
    const values = (ctx.build.resources.find((r) => r.obj.kind === 'HelmRelease')!.obj.spec as { values: Record<string, string> }).values;
    assert.equal(values.host, `web.${cluster}.example.com`);
    assert.equal(values.clusterId, `${cluster}-0001`);
    const from = ctx.build.variables.get('CLUSTER_DOMAIN')!.from;
    assert.equal(path.relative(dir, from.file), `platform/clusters/${cluster}/runtime-info.yaml`);
    assert.equal(offsetToLineCol(fleet.facts.get(from.file)!.lineStarts, from.span!.start).line + 1, 9);
  }
});

test('a variable only an ExternalSecret-fed Secret can hold is unknown, not undefined; a variable nobody defines stays undefined', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const billing = contextOf(fleet, 'prod', 'billing/billing');
  assert.deepEqual(billing.build.undefinedVariables.map((u) => u.name), []);
  assert.deepEqual(billing.build.unknownVariables.map((u) => u.name), ['DB_HOST']);
  assert.deepEqual(billing.build.opaqueSources, ['made in the cluster by ExternalSecret billing/billing-db (platform/tenants/billing/external-secret.yaml:4)']);
  const settings = billing.build.resources.find((r) => r.obj.kind === 'ConfigMap')!.obj.data as Record<string, string>;
  assert.deepEqual(settings, { domain: 'billing.prod.example.com', database: '${DB_HOST}' });

  const findings = evaluationFindings(fleet, { strictSubstitution: true }).map((f) => `${f.code} ${path.relative(dir, f.file)}:${offsetToLineCol(fleet.facts.get(f.file)!.lineStarts, f.span.start).line + 1}`);
  assert.deepEqual(findings, ['undefined-variable platform/apps/shop/release.yaml:45']);
  // valuesFrom of made objects is no finding either; the object nobody makes is (the reference's finding, once).
  const refs = fleet.links.findings.filter((x) => x.code === 'object-not-found').map((x) => `${path.relative(dir, x.file)}:${offsetToLineCol(fleet.facts.get(x.file)!.lineStarts, x.span.start).line + 1}`);
  assert.deepEqual(refs, ['platform/apps/shop/release.yaml:41']);

  const f = file('apps/billing/settings.yaml');
  const h = variableHover(fleet, f, fleet.facts.get(f)!.text.indexOf('DB_HOST'));
  assert.match(h!.markdown, /`unknown` on 2 contexts .* unknown here: it may come from made in the cluster by ExternalSecret billing\/billing-db/);
});

test('.flux-fleet.yaml provided: globs with a reason; invalid entries are config-invalid at their span', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
provided:
  - kinds: [Secret]
    names: ["db-*"]
    namespaces: ["team-*"]
    reason: made by the database operator
  - kinds: ConfigMap
    colour: red
  - names: []
  - reason: no kinds nor names
//- repo/.git/config
[core]
//- repo/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: team-a
spec:
  chartRef:
    kind: OCIRepository
    name: web
  valuesFrom:
    - kind: Secret
      name: db-credentials
    - kind: Secret
      name: cache-credentials
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: other
spec:
  chartRef:
    kind: OCIRepository
    name: web
  valuesFrom:
    - kind: Secret
      name: db-credentials
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: web
  namespace: team-a
spec:
  url: oci://example.com/web
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: web
  namespace: other
spec:
  url: oci://example.com/web
`);
  const fleet = loadFleet(m.dir);
  const text = fleet.facts.get(m.file('repo/apps/release.yaml'))!.text;
  const config = fleet.layout.configFiles[0];
  const configText = fs.readFileSync(config, 'utf8');
  const invalid = fleet.links.findings.filter((f) => f.code === 'config-invalid').map((f) => `${configText.slice(f.span.start, f.span.end).split('\n')[0]}: ${f.message}`);
  assert.deepEqual(invalid, [
    'colour: provided: unknown field colour (expected kinds, names, namespaces, reason)',
    '[]: provided: names must be a non-empty list of globs',
    'reason: no kinds nor names: provided: an entry needs kinds: or names: (globs), else it would hide every missing reference',
  ]);
  const missing = fleet.links.findings.filter((f) => f.code === 'object-not-found').map((f) => `${text.slice(f.span.start, f.span.end)} @${text.lastIndexOf('namespace:', f.span.start) >= 0 ? text.slice(text.lastIndexOf('namespace:', f.span.start) + 11).split('\n')[0] : ''}`);
  // db-credentials in team-a is declared; cache-credentials (name) and db-credentials in `other` (namespace) are not.
  assert.deepEqual(missing.sort(), ['cache-credentials @team-a', 'db-credentials @other']);
  const ref = (fleet.links.refsByFile.get(m.file('repo/apps/release.yaml')) ?? []).find((r) => text.slice(r.span.start, r.span.end) === 'db-credentials');
  assert.equal(ref?.description, 'Secret team-a/db-credentials: declared provided in repo/.flux-fleet.yaml:2: made by the database operator');
});

test('Kyverno copies exist only where the rule puts them: cloneList selectors, named namespaces, a Policy\'s own namespace', () => {
  const m = materialize(`
//- repo/.git/config
[core]
//- repo/policies.yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: copies
spec:
  rules:
    - name: labelled
      match:
        any:
          - resources:
              kinds: [Namespace]
              names: [team-a]
      generate:
        namespace: "{{request.object.metadata.name}}"
        cloneList:
          namespace: base
          kinds: [v1/ConfigMap]
          selector:
            matchLabels:
              copy: "yes"
---
apiVersion: kyverno.io/v2
kind: Policy
metadata:
  name: local
  namespace: team-b
spec:
  rules:
    - name: local-copy
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      generate:
        kind: ConfigMap
        name: local-settings
        namespace: team-b
        clone:
          namespace: team-b
          name: settings
//- repo/base.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: copied
  namespace: base
  labels:
    copy: "yes"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-copied
  namespace: base
//- repo/refs.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: a
  namespace: team-a
spec:
  chartRef:
    kind: OCIRepository
    name: web
    namespace: base
  valuesFrom:
    - name: copied
    - name: not-copied
    - name: local-settings
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: b
  namespace: team-b
spec:
  chartRef:
    kind: OCIRepository
    name: web
    namespace: base
  valuesFrom:
    - name: copied
    - name: local-settings
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: web
  namespace: base
spec:
  url: oci://example.com/web
`);
  const fleet = loadFleet(m.dir);
  const f = m.file('repo/refs.yaml');
  const text = fleet.facts.get(f)!.text;
  const missing = (fleet.links.findingsByFile.get(f) ?? []).filter((x) => x.code === 'object-not-found').map((x) => `${text.slice(x.span.start, x.span.end)} in ${/in namespace (\S+) /.exec(x.message)?.[1]}`);
  assert.deepEqual(missing, ['not-copied in team-a', 'local-settings in team-a', 'copied in team-b']);
});
