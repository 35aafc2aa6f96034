// A kustomization.yaml holding nothing kustomize reads (what a user has while typing a new one) is a build error of
// the Flux Kustomization that deploys its folder, exactly as kustomize reports it — never a crash of the linker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet } from '../helpers/fixture';
import { checkFindings } from '../../server/src/cli';

const fleetWith = () =>
  materialize(`
//- repo/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: { kind: GitRepository, name: flux-system }
//- repo/clusters/prod/source.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://example.com/repo
//- repo/.git/config
[remote "origin"]
  url = https://example.com/repo
//- repo/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
`);

// kubectl kustomize v5.5.0 on each of these files (its message is the truth).
const inputs: Array<{ name: string; bytes: Buffer; message: RegExp }> = [
  { name: 'an empty file', bytes: Buffer.from(''), message: /kustomization\.yaml is empty/ },
  { name: 'only a comment', bytes: Buffer.from('# resources to come\n'), message: /kustomization\.yaml is empty/ },
  { name: 'only kind: Kustomization', bytes: Buffer.from('kind: Kustomization\n'), message: /kustomization\.yaml is empty/ },
  { name: 'only apiVersion and kind', bytes: Buffer.from('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'), message: /kustomization\.yaml is empty/ },
  { name: 'a sequence', bytes: Buffer.from('- a\n'), message: /invalid Kustomization: .*cannot unmarshal array/ },
  { name: 'a scalar', bytes: Buffer.from("'a'\n"), message: /invalid Kustomization: .*cannot unmarshal string/ },
  { name: 'NUL bytes', bytes: Buffer.from('resources:\0\n'), message: /control characters are not allowed/ },
  // Without its BOM, UTF-16 is bytes with NULs to go-yaml (with it, kubectl decodes it: see below).
  { name: 'UTF-16 without a BOM', bytes: Buffer.from('resources: [cm.yaml]\n', 'utf16le'), message: /control characters are not allowed/ },
];

for (const input of inputs) {
  test(`a kustomization.yaml with ${input.name} is a build error of its Flux Kustomization, not a crash`, () => {
    const m = fleetWith();
    fs.writeFileSync(m.file('repo/apps/kustomization.yaml'), input.bytes);
    const fleet = loadFleet(m.file('repo'));
    const findings = checkFindings(fleet, true, false);
    assert.ok(!findings.some((f) => f.code === 'empty-prune-path'), 'a build that fails is not an empty build');
    const errors = findings.filter((f) => f.code === 'kustomize-build-error');
    assert.ok(errors.some((f) => input.message.test(f.message)), `expected ${input.message}, got ${JSON.stringify(findings.map((f) => `${f.code}: ${f.message}`))}`);
  });
}

test('a kustomization.yaml in UTF-16 with its BOM (LE or BE) builds like its UTF-8 text, as kubectl builds it', () => {
  for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
    const m = fleetWith();
    const le = Buffer.from('resources: [cm.yaml]\n', 'utf16le');
    if (bom[0] === 0xfe) for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    fs.writeFileSync(m.file('repo/apps/kustomization.yaml'), Buffer.concat([Buffer.from(bom), le]));
    const findings = checkFindings(loadFleet(m.file('repo')), true, false);
    assert.deepEqual(findings.filter((f) => f.severity === 'error' || f.code === 'empty-prune-path').map((f) => f.message), []);
  }
});

test('a kustomization.yaml with an empty list or metadata is not empty (kustomize builds it)', () => {
  for (const text of ['resources: []\n', 'kind: Kustomization\nmetadata: {name: x}\n']) {
    const m = fleetWith();
    fs.writeFileSync(m.file('repo/apps/kustomization.yaml'), text);
    const findings = checkFindings(loadFleet(m.file('repo')), true, false);
    assert.ok(!findings.some((f) => f.code === 'kustomize-build-error'), `${text}: ${JSON.stringify(findings.map((f) => f.message))}`);
  }
});
