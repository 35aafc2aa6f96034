// YAML read the way kustomize reads it: anchors, aliases and merge keys resolved (values through an alias keep the
// anchor's span), go-yaml's scalars, alias bombs bounded; the index reads objects through aliases and merges too;
// generator inputs holding a valid U+FFFD are text. (Printing: test/unit/kustomizePrint.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { loadManifests } from '../../../server/src/core/kustomize/load';
import { goYamlPlainScalar } from '../../../server/src/core/kustomize/goYamlResolve';
import { stepLayer } from '../../../server/src/core/layer';
import { buildKustomization } from '../../../server/src/core/kustomize/build';
import { buildOptions } from '../../../server/src/core/evaluate/fluxBuild';
import { indexFile } from '../../../server/src/core/indexFile';
import { loadFleet, materialize } from '../../helpers/fixture';

const FIXTURES = path.resolve(__dirname, '../../fixtures/kustomize');

/** The text a provenance span covers. */
const spanText = (text: string, span: { start: number; end: number } | undefined) => (span ? text.slice(span.start, span.end) : undefined);

test('aliases and merge keys: values as kubectl reads them, spans at the anchor', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'yaml-anchors/app.yaml'), 'utf8');
  const { resources, errors } = loadManifests(text, '/app.yaml', stepLayer('resource'));
  assert.deepEqual(errors, []);
  const [deploy, config] = resources;
  const spec = deploy.obj.spec as any;
  assert.deepEqual(spec.selector.matchLabels, { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/part-of': 'shop' });
  assert.deepEqual(spec.template.metadata.labels, { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/part-of': 'shop', track: 'stable' });
  const [main, sidecar] = spec.template.spec.containers;
  assert.equal(sidecar.name, 'sidecar');
  assert.equal(sidecar.image, 'registry.example.com/proxy:2.0.0');
  assert.deepEqual(sidecar.ports, main.ports);
  assert.deepEqual(sidecar.env, [{ name: 'MODE', value: 'off' }]);
  assert.equal(spec.replicas, 2);
  // An alias as a key, an alias to an anchored scalar.
  assert.deepEqual(config.obj.data, { 'checkout-settings': 'the key comes from an alias', mode: 'off', 'same-mode': 'off', 'anchored-yes': 'yes', 'again-yes': 'yes' });

  // Provenance: a value reached through an alias or a merge points at the text that holds it (the anchor's node).
  const at = (r: typeof deploy, pointer: string) => {
    const stack = r.prov.get(pointer);
    assert.ok(stack, `no provenance at ${pointer}`);
    return spanText(text, stack.at(-1)!.span);
  };
  const labelsAnchor = text.indexOf('app.kubernetes.io/part-of: shop') + 'app.kubernetes.io/part-of: '.length;
  for (const p of ['/spec/selector/matchLabels/app.kubernetes.io~1part-of', '/spec/template/metadata/labels/app.kubernetes.io~1part-of']) {
    assert.equal(deploy.prov.get(p)?.at(-1)?.span?.start, labelsAnchor, p);
  }
  assert.equal(at(deploy, '/spec/template/metadata/labels/track'), 'stable');
  assert.equal(at(deploy, '/spec/selector/matchLabels/app.kubernetes.io~1name'), 'checkout', 'alias of an anchored scalar → the anchor');
  assert.equal(at(deploy, '/spec/template/spec/containers/1/ports/0/containerPort'), '8080');
  assert.equal(deploy.prov.get('/spec/template/spec/containers/1/ports/0/containerPort')?.at(-1)?.span?.start, text.indexOf('8080'));
  assert.equal(at(deploy, '/spec/template/spec/containers/1/image'), 'registry.example.com/proxy:2.0.0', 'own key over the merged one');
  assert.equal(at(deploy, '/spec/template/spec/containers/1/env/0/value'), '"off"');
  assert.equal(deploy.prov.get('/spec/template/spec/containers/1/env/0/value')?.at(-1)?.span?.start, text.indexOf('&mode "off"') + '&mode '.length);
});

test('merge keys: an earlier source wins over a later one, the mapping over both; inline maps; sequences and scalars', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'yaml-anchors/widget.yaml'), 'utf8');
  const spec = loadManifests(text, '/w.yaml', stepLayer('resource')).resources[0].obj.spec as any;
  assert.deepEqual(spec.merged, { timeout: '10s', retries: 5, zone: 'b', nested: { region: 'eu-west-1', zone: 'a' } });
  assert.deepEqual(spec.nestedOnly, { region: 'eu-west-1', zone: 'a' });
  assert.deepEqual(spec.inline, { inlined: true, region: 'eu-west-1', zone: 'a' });
  assert.deepEqual(spec.copy, spec.defaults);
  assert.deepEqual(spec.moreHosts, ['a.example.com', 'b.example.com']);
  assert.deepEqual(spec.words, ['on', 'on', 'n', 'n']);
});

test('anchor errors kustomize reports: unknown (or other-document) anchor, bad merge value, two merge keys, an anchor inside itself', () => {
  const cases: Array<[string, RegExp]> = [
    ['kind: A\nmetadata: {name: a}\ndata: {x: *nope}\n', /unknown anchor 'nope'/],
    ['kind: A\nmetadata: {name: a, labels: &l {x: "1"}}\n---\nkind: B\nmetadata: {name: b, labels: *l}\n', /unknown anchor 'l'/],
    ['kind: A\nmetadata: {name: a}\ndata:\n  s: &s str\n  m:\n    <<: *s\n', /non-map value/],
    ['kind: A\nmetadata: {name: a}\ndata:\n  m:\n    <<: {a: "1"}\n    <<: {b: "2"}\n', /duplicate merge key|keys must be unique/],
    ['kind: A\nmetadata: {name: a}\ndata: &d\n  x: *d\n', /contains itself/],
  ];
  for (const [text, message] of cases) {
    const loaded = loadManifests(text, '/x.yaml', stepLayer('resource'));
    assert.match(loaded.errors.at(-1)?.message ?? '(no error)', message, text);
  }
});

test('an alias bomb is refused quickly (go-yaml\'s bound on alias expansion), not expanded', () => {
  let text = 'kind: A\nmetadata: {name: bomb}\ndata:\n  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let i = 1; i < 12; i++) text += `  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
  const started = Date.now();
  const loaded = loadManifests(text, '/bomb.yaml', stepLayer('resource'));
  assert.equal(loaded.resources.length, 0);
  assert.match(loaded.errors[0]?.message ?? '', /excessive aliasing/);
  const facts = indexFile('/bomb.yaml', text);
  assert.match(facts.syntaxErrors[0]?.message ?? '', /excessive aliasing/);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test('go-yaml v3 scalars: 0b101, 1_000, -0x1F are numbers; Go timestamp layouts only (2024-02-30 stays a string)', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'yaml-quoting/words.yaml'), 'utf8');
  const numbers = loadManifests(text, '/w.yaml', stepLayer('resource')).resources[1].obj.spec as any;
  assert.equal(numbers.binary, 5);
  assert.equal(numbers.underscores, 1000);
  assert.equal(numbers['negative-hex'], -31);
  assert.equal(numbers.octal, 493);
  assert.equal(numbers.date, '2024-01-01T00:00:00Z');
  assert.equal(numbers['not-a-date'], '2024-02-30');
  assert.equal(numbers['timestamp-t'], '2024-01-01T01:02:03Z');
  assert.equal(numbers['zero-offset'], '2024-01-01T10:00:00Z');
  assert.equal(numbers['too-late'], '2024-01-01T25:00:00Z');
});

test('index: objects, Flux Kustomizations and kustomization fields read through aliases and merge keys', () => {
  const facts = indexFile(
    '/repo/clusters/prod/apps.yaml',
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: &name apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef: {kind: GitRepository, name: fleet}
  path: ./apps/prod
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
x-defaults: &defaults
  interval: 10m
  prune: true
  sourceRef: {kind: GitRepository, name: fleet}
  path: ./apps/prod
metadata:
  name: &name infra
  namespace: flux-system
spec:
  <<: *defaults
  path: ./infra/prod
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: &cm settings
  labels:
    *cm : yes
`,
  );
  assert.deepEqual(facts.syntaxErrors, []);
  const ks = facts.fluxKustomizations.map((k) => ({ name: k.name, path: k.path?.value, source: k.sourceRef?.name, prune: k.prune }));
  assert.deepEqual(ks, [
    { name: 'apps', path: './apps/prod', source: 'fleet', prune: true },
    { name: 'infra', path: './infra/prod', source: 'fleet', prune: true },
  ]);
  const names = facts.objects.map((o) => `${o.kind}/${o.name}`);
  assert.deepEqual(names, ['Kustomization/apps', 'Kustomization/infra', 'ConfigMap/settings']);
  // Values through a merge key: their spans are the anchor's text.
  const infra = facts.fluxKustomizations[1];
  assert.equal(infra.sourceRef?.span && facts.text.slice(infra.sourceRef.span.start, infra.sourceRef.span.end), 'fleet');
  assert.ok(infra.sourceRef!.span.start > facts.text.indexOf('x-defaults') && infra.sourceRef!.span.start < facts.text.indexOf('name: &name infra'));

  const kfacts = indexFile('/repo/app/kustomization.yaml', 'common: &res\n  - deploy.yaml\nresources: *res\nnamespace: &ns shop\nnameSuffix: *ns\n');
  assert.deepEqual(kfacts.kustomize?.paths.map((r) => r.value), ['deploy.yaml']);
  assert.equal(kfacts.kustomize?.nameSuffix, 'shop');
});

test('a kustomization file with anchors and merge keys builds like kubectl (yaml-anchors)', () => {
  const result = buildKustomization(path.join(FIXTURES, 'yaml-anchors'), { readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
  assert.deepEqual(result.issues, []);
  const widget = result.resources.find((r) => r.obj.kind === 'Widget')!;
  assert.deepEqual((widget.obj.metadata as any).labels, { team: 'payments', tier: 'backend' });
});

test('a generator file holding a valid U+FFFD is text: data, no build error (fleet reads its bytes)', () => {
  const m = materialize(`//- repo/.git/config
[remote "origin"]
  url = https://example.com/repo.git
//- repo/app/kustomization.yaml
configMapGenerator:
  - name: text
    files: [replacement.txt]
//- repo/app/replacement.txt
keep \ufffd as text
`);
  fs.writeFileSync(m.file('repo/app/binary.bin'), Buffer.from([0x89, 0x50, 0xff, 0xfe, 0x00]));
  fs.appendFileSync(m.file('repo/app/kustomization.yaml'), '  - name: binary\n    files: [binary.bin]\n');
  const fleet = loadFleet(m.dir);
  const result = buildKustomization(m.file('repo/app'), buildOptions(fleet));
  assert.deepEqual(result.issues, []);
  const text = result.resources.find((r) => (r.obj.metadata as any).name.startsWith('text-'))!;
  assert.deepEqual(text.obj.data, { 'replacement.txt': 'keep \ufffd as text\n' });
  const binary = result.resources.find((r) => (r.obj.metadata as any).name.startsWith('binary-'))!;
  assert.deepEqual(binary.obj.binaryData, { 'binary.bin': Buffer.from([0x89, 0x50, 0xff, 0xfe, 0x00]).toString('base64') });
});

test("plain number scalars read as go-yaml reads them, short decimals and the rest alike", () => {
  const cases: Array<[string, unknown]> = [
    ['0', 0], ['7', 7], ['8080', 8080], ['123456789012345', 123456789012345],
    // past 15 digits: Go's int64 then a JavaScript number (rounded)
    ['1234567890123456', 1234567890123456], ['9007199254740993', 9007199254740992], ['18446744073709551615', 18446744073709551615],
    ['18446744073709551616', 18446744073709552000], ['0755', 493], ['08', 8], ['0x1F', 31], ['0b101', 5], ['0o17', 15],
    ['-5', -5], ['+5', 5], ['1_000', 1000], ['1e3', 1000], ['1.5', 1.5], ['00', 0], ['1.2.3', '1.2.3'], ['12:30', '12:30'],
  ];
  for (const [text, want] of cases) assert.equal(goYamlPlainScalar(text), want, text);
  assert.ok(Object.is(goYamlPlainScalar('-0'), 0), '-0 is Go int 0');
});
