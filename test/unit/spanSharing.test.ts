// A build shares one span object per range among the writes of the leaves it loads (PointerTable.span): every leaf
// of every loaded manifest has a write kept to the end of a check, and the files a build reads have few shapes, so
// their ranges repeat (the synthetic fleet's whole check made 70,000 leaf spans in 10,800 ranges per build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet } from '../helpers/fixture';
import { buildKustomization } from '../../server/src/core/kustomize/build';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';
import { PointerTable } from '../../server/src/core/kustomize/provenance';

// Two files of one layout (same offsets), and a third whose name is longer (its later ranges differ).
const FLEET = `
//- base/kustomization.yaml
resources: [a.yaml, b.yaml, long.yaml]
//- base/a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  k: "1"
//- base/b.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
data:
  k: "2"
//- base/long.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: longer
data:
  k: "3"
`;

test("the writes of a build's leaves with one range share one frozen span, each still the leaf's place", () => {
  const m = materialize(FLEET);
  const built = buildKustomization(m.file('base'), buildOptions(loadFleet(m.dir)));
  assert.deepEqual(built.issues, []);
  const write = (name: string, ptr: string) => {
    const r = built.resources.find((x) => (x.obj.metadata as { name: string }).name === name)!;
    const w = r.prov.get(ptr)![0];
    return { span: w.span!, text: fs.readFileSync(m.file(`base/${w.file.split('/').pop()}`), 'utf8') };
  };
  for (const ptr of ['/kind', '/metadata/name', '/data/k']) {
    const a = write('a', ptr);
    const b = write('b', ptr);
    assert.equal(a.span, b.span, `${ptr}: one span object for one range`);
    assert.ok(Object.isFrozen(a.span), ptr);
  }
  assert.equal(write('a', '/metadata/name').text.slice(write('a', '/metadata/name').span.start, write('a', '/metadata/name').span.end), 'a');
  assert.equal(write('b', '/data/k').text.slice(write('b', '/data/k').span.start, write('b', '/data/k').span.end), '"2"');
  // documents of one range share their origin's span too
  const origin = (name: string) => built.resources.find((x) => (x.obj.metadata as { name: string }).name === name)!.origin.span!;
  assert.equal(origin('a'), origin('b'));
  assert.deepEqual(origin('a'), { start: 0, end: write('a', '/metadata/name').text.length });
  assert.notEqual(origin('a'), origin('longer'));
  // other ranges keep their own span
  const longName = write('longer', '/metadata/name');
  assert.equal(longName.text.slice(longName.span.start, longName.span.end), 'longer');
  assert.notEqual(write('longer', '/data/k').span, write('a', '/data/k').span);
  assert.deepEqual(write('longer', '/kind').span, write('a', '/kind').span);
});

test('PointerTable.span: one span per range, a span of its own beyond the small-integer key', () => {
  const table = new PointerTable();
  assert.equal(table.span(3, 9), table.span(3, 9));
  assert.deepEqual(table.span(3, 9), { start: 3, end: 9 });
  assert.notEqual(table.span(3, 9), table.span(3, 10));
  assert.notEqual(table.span(3, 9), table.span(4, 9));
  assert.equal(new PointerTable().span(3, 9) === table.span(3, 9), false, 'one table per build');
  // far starts and long ranges: correct spans (not shared, not confused with a near one)
  for (const [s, e] of [[0x40000, 0x40001], [5, 5 + 0x1000], [0x3ffff, 0x3ffff + 0xfff], [0, 0]]) {
    assert.deepEqual(table.span(s, e), { start: s, end: e });
  }
  assert.notEqual(table.span(1, 1 + 0x1000), table.span(1, 1 + 0x1000));
});
