// Bad input is normal input: never a crash, never a hang, a finding with a stable code or a skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet, findingLines } from '../helpers/fixture';
import { indexFile, MAX_YAML_BYTES } from '../../server/src/core/indexFile';

test('symlink loops, binary and huge files, templates and non-Kubernetes YAML', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories: {}
//- repo/app/kustomization.yaml
resources: [cm.yaml]
//- repo/app/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
//- repo/chart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
{{ include "labels" . | indent 4 }}
//- repo/values.yaml
just: values
list: [1, 2, 3]
//- repo/empty.yaml
//- repo/comments.yaml
# only a comment
`);
  fs.symlinkSync('..', m.file('repo/app/loop'));
  fs.symlinkSync(m.file('repo'), m.file('repo/app/root-again'));
  fs.symlinkSync(m.file('nowhere'), m.file('repo/dangling'));
  fs.writeFileSync(m.file('repo/binary.yaml'), Buffer.from([0x00, 0x01, 0x02, 0xff]));
  fs.writeFileSync(m.file('repo/huge.yaml'), 'a: ' + 'x'.repeat(MAX_YAML_BYTES + 10) + '\n');
  const started = Date.now();
  const fleet = loadFleet(m.file('repo'));
  assert.ok(Date.now() - started < 5000, 'loading must not hang');
  assert.deepEqual(findingLines(fleet, m.dir), []);
  assert.ok(fleet.walkReport.symlinkLoops.length >= 2, 'the loops are noticed, not followed');
  assert.equal(fleet.facts.get(m.file('repo/binary.yaml'))?.skipped, 'binary');
  assert.match(fleet.facts.get(m.file('repo/huge.yaml'))?.skipped ?? '', /larger than/);
});

test('malformed YAML is a yaml-syntax error on the spot, and the rest of the file still counts', () => {
  const facts = indexFile('/r/x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\nkey: [unclosed\n');
  assert.equal(facts.objects.length, 1);
  assert.equal(facts.syntaxErrors.length, 1);
  assert.ok(facts.syntaxErrors[0].span.start >= facts.text.indexOf('key:'));
});

test('include cycles and dependsOn cycles terminate', () => {
  const m = materialize(`
//- repo/a/kustomization.yaml
resources: [../b, ../a]
//- repo/b/kustomization.yaml
resources: [../a]
//- repo/ks.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: self
  namespace: x
spec:
  dependsOn: [{ name: self }]
  path: ./a
  prune: true
  sourceRef: { kind: GitRepository, name: nowhere }
`);
  const fleet = loadFleet(m.file('repo'));
  const codes = fleet.links.findings.map((f) => f.code).sort();
  assert.deepEqual(codes, ['dependency-cycle', 'include-cycle', 'include-cycle', 'include-cycle', 'source-not-found']);
});

test('a path climbing out of the repository is outside-root, not followed', () => {
  const m = materialize(`
//- secret/passwords.yaml
apiVersion: v1
kind: Secret
metadata:
  name: root-password
//- repo/.flux-fleet.yaml
repositories: {}
//- repo/app/kustomization.yaml
resources:
  - ../../secret/passwords.yaml
`);
  const fleet = loadFleet(m.file('repo'));
  assert.deepEqual(findingLines(fleet, m.dir), ['outside-root repo/app/kustomization.yaml:2:5']);
  assert.ok(![...fleet.facts.keys()].some((f) => f.includes(path.sep + 'secret' + path.sep)), 'nothing outside the repositories is read');
});
