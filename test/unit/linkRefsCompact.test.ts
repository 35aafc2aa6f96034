// What the links keep per reference (issue 12: the links are kept for the whole check and copied by its scavenges).
// A reference to one whole file (a kustomization's path, a Flux component) holds that file's path as `target`, the
// very string the fleet's facts hold for it, with no list of one `{ file }`; a reference that resolved to one object
// holds the object fact as `object`, with no lists of one target and one object. A kustomization's path reference is
// also the includer of the file it leads to. What features read through
// refTargets / refObjects (definition, document links, hover, references, rename) is the same as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFleet, materialize } from '../helpers/fixture';
import * as ide from '../../server/src/ide';
import { refObjects, refTargets } from '../../server/src/core/link/types';

const FLEET = `
//- repo/clusters/prod/kustomization.yaml
resources:
  - ../../base
  - flux.yaml
//- repo/clusters/prod/flux.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: platform
  namespace: flux-system
spec:
  url: https://example.com/org/repo.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./base
  sourceRef:
    kind: GitRepository
    name: platform
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: vars
//- repo/clusters/prod/vars.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: vars
  namespace: flux-system
data: {a: b}
//- repo/base/kustomization.yaml
resources: [cm.yaml]
//- repo/base/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: base
`;

test('a path reference holds its one file as the facts path string, and features read it as one target', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const k = m.file('repo/clusters/prod/kustomization.yaml');
  const base = m.file('repo/base/kustomization.yaml');
  const ref = (fleet.links.refsByFile.get(k) ?? []).find((r) => r.kind === 'path' && r.folder !== undefined);
  assert.ok(ref, 'the ../../base reference');
  assert.equal(ref.targets, undefined, 'no list of one target kept');
  assert.equal(ref.target, base);
  assert.deepEqual(refTargets(ref), [{ file: base }]);
  // The reference is the includer of the file it leads to (no second object of its file, span and role).
  const includer = (fleet.links.includers.get(base) ?? []).find((i) => i.file === k);
  assert.equal(includer, ref);
  assert.equal(includer?.type === 'kustomize' && includer.role, 'resources');
  const text = fleet.facts.get(k)!.text;
  const at = text.indexOf('../../base') + 2;
  assert.deepEqual(ide.definition(fleet, k, at), [{ file: base }]);
});

test('an object reference resolved to one object holds the fact, and features read it as one target and one object', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const flux = m.file('repo/clusters/prod/flux.yaml');
  const facts = fleet.facts.get(flux)!;
  const git = facts.objects.find((o) => o.kind === 'GitRepository')!;
  const vars = fleet.facts.get(m.file('repo/clusters/prod/vars.yaml'))!.objects[0];
  const refs = (fleet.links.refsByFile.get(flux) ?? []).filter((r) => r.kind === 'object');
  for (const [obj, name] of [[git, 'platform'], [vars, 'vars']] as const) {
    // (the name under sourceRef / substituteFrom, not the GitRepository's own)
    const at = facts.text.indexOf(`name: ${name}`, facts.text.indexOf('kind: Kustomization')) + 'name: '.length;
    const ref = refs.find((r) => r.span.start <= at && at <= r.span.end);
    assert.ok(ref, `the reference to ${name}`);
    assert.equal(ref.object, obj, 'the fact itself');
    assert.equal(ref.objects, undefined, 'no list of one object kept');
    assert.equal(ref.targets, undefined, 'no list of one target kept');
    assert.deepEqual(refObjects(ref), [obj]);
    assert.deepEqual(refTargets(ref), [{ file: obj.owner.file, span: obj.nameSpan }]);
    assert.deepEqual(ide.definition(fleet, flux, at), [{ file: obj.owner.file, span: obj.nameSpan }]);
    // Find references on the object's name lists this reference.
    const found = ide.references(fleet, obj.owner.file, obj.nameSpan.start, false);
    assert.ok(found.some((l) => l.file === flux && l.span?.start === ref.span.start), `references of ${name} include the reference`);
  }
});
