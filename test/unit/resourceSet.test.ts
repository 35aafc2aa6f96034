// ResourceSet expansion (core/resourceSet) on our own fixtures (test/fixtures/resourceset): inline inputs, providers
// by label and by name, Static and network-backed providers (with and without samples), Permute, conditionals and
// the reconcile: disabled exclusion, commonMetadata and owner labels, dependsOn; where every input value and every
// generated object came from; and one finding per kind of mistake, at its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandResourceSet, inputId, inputValues, readDocuments, referenceAt, type ResourceSetExpansion } from '../../server/src/core/resourceSet';

const dir = path.resolve(__dirname, '../fixtures/resourceset');
const texts = new Map<string, string>();
const text = (f: string) => texts.get(f) ?? texts.set(f, fs.readFileSync(path.join(dir, f), 'utf8')).get(f)!;
const docs = (f: string) => readDocuments(path.join(dir, f), text(f));
const providers = docs('providers.yaml');
const at = (file: string, span: { start: number; end: number }) => text(path.basename(file)).slice(span.start, span.end);
const named = (f: string, name: string) => docs(f).find((d) => (d.obj.metadata as { name: string }).name === name)!;
const ids = (x: ResourceSetExpansion) => x.objects.map((o) => `${o.obj.kind} ${(o.obj.metadata as { namespace?: string }).namespace ?? ''}/${(o.obj.metadata as { name: string }).name}`);

test('inline inputs: one object per resource per input set, disabled ones left out, owner labels and commonMetadata', () => {
  const [rset] = docs('tenants.yaml');
  const x = expandResourceSet(rset, providers);
  assert.deepEqual(x.findings, []);
  assert.equal(x.failed, false);
  assert.deepEqual(ids(x), ['Namespace /alpha', 'Namespace /beta', 'ServiceAccount alpha/flux', 'RoleBinding alpha/flux', 'RoleBinding beta/flux']);
  const rb = x.objects[4].obj as { roleRef: { name: string }; metadata: { labels: object; annotations: object } };
  assert.equal(rb.roleRef.name, 'view');
  assert.deepEqual(rb.metadata.labels, {
    'resourceset.fluxcd.controlplane.io/name': 'tenants',
    'resourceset.fluxcd.controlplane.io/namespace': 'flux-system',
    'toolkit.fluxcd.io/tenant': 'managed',
  });
  assert.deepEqual(rb.metadata.annotations, { owner: 'platform' });
  assert.deepEqual(x.dependsOn.map((d) => `${d.kind}/${d.name} ready=${d.ready}`), ['CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io ready=true']);
});

test('input sets: values as templates see them (YAML 1.1 booleans, built-in id and provider) and where each was written', () => {
  const [rset] = docs('tenants.yaml');
  const x = expandResourceSet(rset, providers);
  const [alpha] = x.inputSets;
  assert.equal(alpha.id, '1');
  assert.deepEqual(alpha.values, {
    id: '1',
    tenant: 'alpha',
    role: 'admin',
    sync: true,
    provider: { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', name: 'tenants', namespace: 'flux-system' },
  });
  assert.equal(alpha.origins['/tenant'].from, 'inputs');
  assert.equal(at(alpha.origins['/tenant'].file, alpha.origins['/tenant'].span), 'alpha');
  assert.equal(at(alpha.origins['/sync'].file, alpha.origins['/sync'].span), 'yes');
  assert.equal(alpha.origins['/provider'], undefined, 'the built-in provider was written by no one');
});

test('generated objects point to their template: a resources item, or the lines of resourcesTemplate that wrote them', () => {
  const x = expandResourceSet(docs('tenants.yaml')[0], providers);
  const rb = x.objects[3];
  assert.deepEqual([rb.template.field, rb.template.index, rb.inputSet], ['resources', 2, 0]);
  assert.match(at(rb.template.file!, rb.template.span!), /^apiVersion: rbac.authorization.k8s.io\/v1\n\s+kind: RoleBinding[\s\S]*namespace: << inputs.tenant >>\n$/);

  const apps = expandResourceSet(docs('apps.yaml')[0], providers);
  const prod = apps.objects[1];
  assert.equal(prod.template.field, 'resourcesTemplate');
  const written = at(prod.template.file!, prod.template.span!);
  assert.match(written, /kind: Kustomization/);
  assert.match(written, /name: << inputs.app >>-<< \$env >>/);
  assert.ok(!written.includes('resourcesTemplate:'), 'only the template lines');
});

test('every inputs.x in the templates is a reference at its text', () => {
  const x = expandResourceSet(docs('tenants.yaml')[0], providers);
  assert.deepEqual(
    x.references.map((r) => [r.path.join('.'), at(r.file, r.span), r.field, r.index]),
    [
      ['tenant', 'inputs.tenant', 'resources', 0],
      ['tenant', 'inputs.tenant', 'resources', 1],
      ['sync', 'inputs.sync', 'resources', 1],
      ['tenant', 'inputs.tenant', 'resources', 2],
      ['role', 'inputs.role', 'resources', 2],
      ['tenant', 'inputs.tenant', 'resources', 2],
    ],
  );
  const apps = expandResourceSet(docs('apps.yaml')[0], providers);
  const replicas = apps.references.find((r) => r.path[0] === 'replicas')!;
  assert.equal(at(replicas.file, replicas.span), 'inputs.replicas');
});

test('providers by label, in the ResourceSet namespace only; a Static one exports its defaultValues with id = checksum of its name', () => {
  const x = expandResourceSet(docs('apps.yaml')[0], providers);
  assert.deepEqual(x.providers.map((p) => `${p.namespace}/${p.name} ${p.type} known=${p.known}`), ['apps/apps-previews GitHubPullRequest known=false', 'apps/apps-static Static known=true']);
  assert.equal(x.inputSets.length, 1);
  assert.equal(x.inputSets[0].id, inputId('apps-static'));
  assert.equal(x.inputSets[0].origins['/replicas'].from, 'defaultValues');
  assert.equal(path.basename(x.inputSets[0].origins['/replicas'].file), 'providers.yaml');
  assert.deepEqual(ids(x), ['Kustomization apps/frontend-dev', 'Kustomization apps/frontend-prod']);
  assert.deepEqual((x.objects[0].obj.spec as { postBuild: unknown }).postBuild, { substitute: { replicas: '2' } });
});

test('a provider that queries a service: without samples its inputs are unknown (information), with samples they are expanded', () => {
  const rset = docs('apps.yaml')[0];
  const without = expandResourceSet(rset, providers);
  assert.equal(without.inputsKnown, false);
  const info = without.findings.filter((f) => f.code === 'provider-inputs-unknown');
  assert.equal(info.length, 1);
  assert.equal(info[0].severity, 'information');
  assert.match(info[0].message, /apps\/apps-previews \(GitHubPullRequest\).*\.flux-fleet\.yaml/);
  assert.match(at(info[0].file, info[0].span), /selector:/);

  const withSamples = expandResourceSet(rset, providers, { samples: [{ name: 'apps-previews', namespace: 'apps', inputs: [{ values: { id: '42', branch: 'fix-login' } }] }] });
  assert.equal(withSamples.inputsKnown, true);
  assert.deepEqual(withSamples.findings, []);
  assert.deepEqual(ids(withSamples), ['Kustomization apps/frontend-preview', 'Kustomization apps/frontend-dev', 'Kustomization apps/frontend-prod']);
  const preview = withSamples.inputSets[0];
  assert.deepEqual([preview.id, preview.values.app, preview.values.branch], ['42', 'frontend', 'fix-login']);
  assert.equal(preview.origins['/app'].from, 'defaultValues');
  assert.equal((withSamples.objects[0].obj.spec as { postBuild?: unknown }).postBuild, undefined, 'no replicas input: no postBuild');
});

test('Permute: each source under its normalized name, id the checksum of the choice', () => {
  const x = expandResourceSet(docs('permute.yaml')[0], providers);
  assert.deepEqual(x.findings, []);
  assert.deepEqual(
    x.inputSets.map((s) => s.id),
    [inputId('regions=0/apps_static=0'), inputId('regions=1/apps_static=0')],
  );
  assert.deepEqual(ids(x), ['ConfigMap apps/frontend-eu', 'ConfigMap apps/frontend-us']);
  assert.deepEqual(x.objects[1].obj.data, { permutation: inputId('regions=1/apps_static=0'), provider: 'apps-static' });
  const us = x.inputSets[1];
  assert.equal(at(us.origins['/regions/id'].file, us.origins['/regions/id'].span), 'us');
  assert.equal(us.providers.length, 2);
});

test('an unknown function is a finding at its name; the template is checked even where it never renders', () => {
  const x = expandResourceSet(named('broken.yaml', 'unknown-function'), providers);
  assert.equal(x.failed, true);
  assert.deepEqual(x.objects, []);
  const [f] = x.findings;
  assert.equal(f.code, 'unknown-template-function');
  assert.equal(at(f.file, f.span), 'required');
  assert.match(f.message, /function "required" not defined/);
});

test('a template that does not parse is a template-error with Go message', () => {
  const x = expandResourceSet(named('broken.yaml', 'unclosed'), providers);
  const [f] = x.findings;
  assert.equal(f.code, 'template-error');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'template: resourceset:5: unexpected EOF');
  assert.ok(at(f.file, { start: f.span.start - 30, end: f.span.start }).endsWith('<< if inputs.name >>x'), 'at the end of the template');
});

test('an input one input set does not define: undefined-input at inputs.x, naming the input set; the others still render', () => {
  const x = expandResourceSet(named('broken.yaml', 'undefined-input'), providers);
  assert.equal(x.failed, true, 'the operator fails the whole build');
  assert.deepEqual(ids(x), ['ConfigMap apps/b-blue']);
  const [f] = x.findings;
  assert.equal(f.code, 'undefined-input');
  assert.equal(at(f.file, f.span), 'inputs.team');
  assert.match(f.message, /^inputs\.team is not defined \(input set 0 \(ResourceSet apps\/undefined-input\)\): .*map has no entry for key "team"/);
});

test('objects generated twice: identical ones are shared silently, different ones are a warning on the dropped one', () => {
  const x = expandResourceSet(named('broken.yaml', 'duplicates'), providers);
  assert.equal(x.failed, false);
  assert.deepEqual(ids(x), ['ConfigMap apps/shared', 'ConfigMap apps/clash']);
  assert.deepEqual(x.objects[1].obj.data, { v: '1' }, 'the first one is kept');
  assert.deepEqual(
    x.findings.map((f) => [f.code, f.severity]),
    [['duplicate-generated-object', 'warning']],
  );
  assert.match(x.findings[0].message, /ConfigMap\/apps\/clash is generated again with different content/);
  assert.match(at(x.findings[0].file, x.findings[0].span), /name: clash/);
});

test('steps: an object in two steps is an error, like the operator', () => {
  const x = expandResourceSet(named('broken.yaml', 'steps-clash'), providers);
  assert.equal(x.failed, true);
  assert.deepEqual(x.steps, [
    { name: 'first', objects: [0] },
    { name: 'second', objects: [] },
  ]);
  const [f] = x.findings;
  assert.equal(f.code, 'duplicate-generated-object');
  assert.equal(f.message, 'duplicate resource ConfigMap/apps/x in step "second", already defined in step "first"');
});

test('a provider named in inputsFrom that does not exist', () => {
  const x = expandResourceSet(named('broken.yaml', 'missing-provider'), providers);
  assert.equal(x.failed, true);
  assert.deepEqual(x.objects, [], 'providers that export nothing build nothing');
  const [f] = x.findings;
  assert.equal(f.code, 'object-not-found');
  assert.equal(at(f.file, f.span), 'nowhere');
});

test('bad input is data: a ResourceSet without spec, or with inputs that are no maps, expands to findings, never a throw', () => {
  const [empty] = readDocuments('/x.yaml', 'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: e\n');
  assert.deepEqual(expandResourceSet(empty, []).objects, []);
  const [bad] = readDocuments('/y.yaml', 'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: e\nspec:\n  inputs: [1, {a: b}]\n  resources:\n    - 7\n');
  const x = expandResourceSet(bad, []);
  assert.deepEqual(
    x.findings.map((f) => f.code),
    ['resourceset-invalid', 'template-error'],
  );
});

test('toYaml | nindent writes nested inputs as YAML at the template indentation; slugify; no inputs render once', () => {
  const src = [
    'apiVersion: fluxcd.controlplane.io/v1',
    'kind: ResourceSet',
    'metadata:',
    '  name: nested',
    '  namespace: apps',
    'spec:',
    '  inputs:',
    '    - tenant: "Team Ünï & Co"',
    '      selector: {mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", operation: copy, ports: [80, 443]}',
    '  resources:',
    '    - apiVersion: source.toolkit.fluxcd.io/v1',
    '      kind: OCIRepository',
    '      metadata:',
    '        name: << inputs.tenant | slugify >>',
    '        namespace: apps',
    '      spec:',
    '        layerSelector: << inputs.selector | toYaml | nindent 4 >>',
    '',
  ].join('\n');
  const x = expandResourceSet(readDocuments('/n.yaml', src)[0], []);
  assert.deepEqual(x.findings, []);
  assert.deepEqual(x.objects[0].obj.spec, { layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy', ports: [80, 443] } });
  assert.equal((x.objects[0].obj.metadata as { name: string }).name, 'team-uni-and-co');

  const none = ['apiVersion: fluxcd.controlplane.io/v1', 'kind: ResourceSet', 'metadata:', '  name: plain', '  namespace: apps', 'spec:', '  resourcesTemplate: |', '    apiVersion: v1', '    kind: ConfigMap', '    metadata:', '      name: << "plain" | upper | lower >>', '      namespace: apps', ''].join('\n');
  const y = expandResourceSet(readDocuments('/p.yaml', none)[0], []);
  assert.deepEqual(y.inputSets, []);
  assert.deepEqual(ids(y), ['ConfigMap apps/plain']);
  assert.equal(y.objects[0].inputSet, undefined);
});

test('hover questions: the inputs.x at an offset, its value in each input set and where it was written', () => {
  const file = path.join(dir, 'tenants.yaml');
  const x = expandResourceSet(docs('tenants.yaml')[0], providers);
  const offset = text('tenants.yaml').indexOf('inputs.role') + 'inputs.ro'.length;
  const ref = referenceAt(x, file, offset)!;
  assert.deepEqual(ref.path, ['role']);
  const values = inputValues(x, ref.path);
  assert.deepEqual(
    values.map((v) => [v.id, v.value, v.origin && at(v.origin.file, v.origin.span)]),
    [
      ['1', 'admin', 'admin'],
      ['2', 'view', 'view'],
    ],
  );
  assert.deepEqual(
    inputValues(x, ['provider', 'name']).map((v) => [v.value, v.origin]),
    [
      ['tenants', undefined],
      ['tenants', undefined],
    ],
  );
  assert.equal(inputValues(x, ['nope'])[0].value, undefined);
});
