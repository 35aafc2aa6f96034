// RFC 6902 JSON patches as kustomize applies them (evanphx/json-patch v4 semantics), with provenance.
// Expectations marked "kubectl" were produced by `kubectl kustomize` (kubectl 1.32, kustomize v5.5.0) with
// `patches: [{path: ops.yaml, target: {kind: Deployment}}]` on DEPLOY below, copied as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, KustomizeError, type JsonPatchOp } from '../../../server/src/core/kustomize/jsonPatch';
import { lastWrite, recordLeaves } from '../../../server/src/core/kustomize/provenance';
import type { JsonObject, Provenance, Resource } from '../../../server/src/core/kustomize/types';
import { stepLayer } from '../../../server/src/core/layer';

const BASE = '/repo/base/deploy.yaml';
const DEPLOY: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } } };

function resource(obj: JsonObject = DEPLOY): Resource {
  const copy = structuredClone(obj);
  const origin: Provenance = { file: BASE, layer: stepLayer('resource') };
  const r: Resource = { obj: copy, prov: new Map(), origin };
  recordLeaves(r.prov, '', copy, origin);
  return r;
}
const provOf = (opIndex: number, valuePointer: string): Provenance => ({ file: '/repo/overlay/ops.yaml', layer: stepLayer('patches'), kustomization: `${opIndex}:${valuePointer}` });
function apply(ops: unknown[], obj?: JsonObject): Resource {
  const r = resource(obj);
  applyJsonPatch(r, ops as JsonPatchOp[], provOf);
  return r;
}
const writers = (r: Resource, ptr: string) => (r.prov.get(ptr) ?? []).map((w) => (w.file === BASE ? 'base' : w.kustomization));
const containers = (r: Resource) => ((r.obj.spec as JsonObject).template as any).spec.containers;
function assertProvMatchesShape(r: Resource): void {
  for (const [ptr, stack] of r.prov) {
    let cur: unknown = r.obj;
    for (const seg of ptr.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      assert.ok(cur !== null && typeof cur === 'object' && seg in (cur as object), `stale provenance key ${ptr}`);
      cur = (cur as Record<string, unknown>)[seg];
    }
    assert.deepEqual(stack[stack.length - 1].value, cur, `last write of ${ptr}`);
  }
}
const C = '/spec/template/spec/containers';

test('add inserts into lists and shifts the provenance of the items after it', () => {
  const r = apply([{ op: 'add', path: `${C}/1`, value: { name: 'mid', env: [{ name: 'X', value: 'x' }] } }]);
  assert.deepEqual(containers(r), [{ name: 'a' }, { name: 'mid', env: [{ name: 'X', value: 'x' }] }, { name: 'b' }]);
  assert.deepEqual(writers(r, `${C}/0/name`), ['base']);
  assert.deepEqual(writers(r, `${C}/1/name`), ['0:/name']);
  assert.deepEqual(writers(r, `${C}/1/env/0/value`), ['0:/env/0/value']);
  assert.deepEqual(writers(r, `${C}/2/name`), ['base']);
  assert.equal(lastWrite(r.prov, `${C}/2/name`)?.value, 'b');
  assertProvMatchesShape(r);
  // '-' appends; a negative index counts from the end (-1 appends for add); 01 and +1 parse as 1 (kubectl)
  assert.deepEqual(containers(apply([{ op: 'add', path: `${C}/-`, value: { name: 'z' } }])).map((c: any) => c.name), ['a', 'b', 'z']);
  assert.deepEqual(containers(apply([{ op: 'add', path: `${C}/-1`, value: { name: 'neg' } }])).map((c: any) => c.name), ['a', 'b', 'neg']);
  assert.deepEqual(containers(apply([{ op: 'add', path: `${C}/-3`, value: { name: 'n3' } }])).map((c: any) => c.name), ['n3', 'a', 'b']);
  assert.deepEqual(containers(apply([{ op: 'add', path: `${C}/01`, value: { name: 'lead' } }])).map((c: any) => c.name), ['a', 'lead', 'b']);
  assert.deepEqual(containers(apply([{ op: 'add', path: `${C}/+1`, value: { name: 'plus' } }])).map((c: any) => c.name), ['a', 'plus', 'b']);
});

test('remove drops the subtree and shifts later items back; an emptied list becomes a leaf of the op', () => {
  const r = apply([{ op: 'remove', path: `${C}/0` }]);
  assert.deepEqual(containers(r), [{ name: 'b' }]);
  assert.deepEqual(writers(r, `${C}/0/name`), ['base']);
  assert.equal(lastWrite(r.prov, `${C}/0/name`)?.value, 'b');
  assert.ok(!r.prov.has(`${C}/1/name`));
  const emptied = apply([{ op: 'remove', path: `${C}/0` }, { op: 'remove', path: `${C}/-1` }]);
  assert.deepEqual(containers(emptied), []);
  assert.deepEqual(writers(emptied, C), ['1:']);
  assertProvMatchesShape(emptied);
  // removing the key of a map drops everything under it
  const noSpec = apply([{ op: 'remove', path: '/spec/template' }]);
  assert.deepEqual(noSpec.obj.spec, { replicas: 1 });
  assert.ok(![...noSpec.prov.keys()].some((k) => k.startsWith('/spec/template')));
});

test('replace: a scalar keeps the overridden write underneath, a subtree starts afresh', () => {
  const r = apply([
    { op: 'replace', path: '/spec/replicas', value: 3 },
    { op: 'replace', path: `${C}/0`, value: { name: 'x', image: 'img' } },
  ]);
  assert.deepEqual(writers(r, '/spec/replicas'), ['base', '0:']);
  assert.deepEqual(r.prov.get('/spec/replicas')!.map((w) => w.value), [1, 3]);
  assert.deepEqual(writers(r, `${C}/0/name`), ['1:/name']);
  assert.deepEqual(writers(r, `${C}/0/image`), ['1:/image']);
  assert.deepEqual(writers(r, `${C}/1/name`), ['base']);
  assertProvMatchesShape(r);
  // json-patch v4 quirk: replace of a missing object key adds it (kubectl)
  const added = apply([{ op: 'replace', path: '/spec/nope', value: 1 }]);
  assert.equal((added.obj.spec as JsonObject).nope, 1);
  // replace of the last item by negative index (kubectl)
  assert.deepEqual(containers(apply([{ op: 'replace', path: `${C}/-1`, value: { name: 'last' } }])), [{ name: 'a' }, { name: 'last' }]);
  // add onto an existing key behaves like replace
  const over = apply([{ op: 'add', path: '/spec/replicas', value: 5 }]);
  assert.deepEqual(writers(over, '/spec/replicas'), ['base', '0:']);
  // a missing value writes null (kubectl)
  assert.equal((apply([{ op: 'replace', path: '/spec/replicas' }]).obj.spec as JsonObject).replicas, null);
});

test('move and copy carry provenance along and add a write of the op', () => {
  const moved = apply([{ op: 'move', from: `${C}/0`, path: `${C}/1` }]);
  // kubectl: [b, a]
  assert.deepEqual(containers(moved), [{ name: 'b' }, { name: 'a' }]);
  assert.deepEqual(writers(moved, `${C}/0/name`), ['base']);
  assert.equal(lastWrite(moved.prov, `${C}/0/name`)?.value, 'b');
  assert.deepEqual(writers(moved, `${C}/1/name`), ['base', '0:']);
  assert.equal(moved.prov.get(`${C}/1/name`)![0].value, 'a');
  assertProvMatchesShape(moved);
  // move onto itself changes nothing
  const still = apply([{ op: 'move', from: '/spec/replicas', path: '/spec/replicas' }]);
  assert.deepEqual(still.obj, DEPLOY);
  assert.deepEqual(writers(still, '/spec/replicas'), ['base']);

  const copied = apply([{ op: 'copy', from: '/spec/template', path: '/spec/t2' }, { op: 'replace', path: '/spec/t2/spec/containers/0/name', value: 'q' }]);
  assert.equal(((copied.obj.spec as any).template.spec.containers[0]).name, 'a');
  assert.equal(((copied.obj.spec as any).t2.spec.containers[0]).name, 'q');
  assert.deepEqual(writers(copied, `${C}/0/name`), ['base']);
  assert.deepEqual(writers(copied, '/spec/t2/spec/containers/0/name'), ['base', '0:', '1:']);
  assert.deepEqual(writers(copied, '/spec/t2/spec/containers/1/name'), ['base', '0:']);
  assertProvMatchesShape(copied);
  // copy into a list shifts the items after it; copy from a missing key writes null (kubectl)
  assert.deepEqual(containers(apply([{ op: 'copy', from: `${C}/0`, path: `${C}/0` }])), [{ name: 'a' }, { name: 'a' }, { name: 'b' }]);
  assert.equal((apply([{ op: 'copy', from: '/spec/nope', path: '/spec/x' }]).obj.spec as JsonObject).x, null);
});

test('test compares like json-patch: order-free objects, typed scalars, missing equals null', () => {
  assert.doesNotThrow(() => apply([{ op: 'test', path: '/spec', value: { template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, replicas: 1 } }]));
  assert.doesNotThrow(() => apply([{ op: 'test', path: '/spec/nope', value: null }]));
  assert.throws(() => apply([{ op: 'test', path: '/spec/replicas', value: '1' }]), { name: 'KustomizeError', message: 'testing value /spec/replicas failed: test failed' });
  assert.throws(() => apply([{ op: 'test', path: `${C}`, value: [{ name: 'b' }, { name: 'a' }] }]), KustomizeError);
  assert.throws(() => apply([{ op: 'test', path: '', value: 1 }]), { message: 'testing value  failed: test failed' });
});

test('errors carry json-patch’s messages as kubectl prints them, and leave the target untouched (kubectl)', () => {
  const cases: Array<[unknown, string]> = [
    [{ op: 'add', path: `${C}/5`, value: { name: 'x' } }, `error in add for path: '${C}/5': Unable to access invalid index: 5: invalid index referenced`],
    [{ op: 'add', path: `${C}/-4`, value: {} }, `error in add for path: '${C}/-4': Unable to access invalid index: -4: invalid index referenced`],
    [{ op: 'add', path: `${C}/x`, value: {} }, `error in add for path: '${C}/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`],
    [{ op: 'add', path: '/spec/a/b', value: 1 }, 'add operation does not apply: doc is missing path: "/spec/a/b": missing value'],
    [{ op: 'add', path: '/spec/replicas/x', value: 1 }, 'add operation does not apply: doc is missing path: "/spec/replicas/x": missing value'],
    [{ op: 'add', path: `${C}/-/y`, value: 1 }, `add operation does not apply: doc is missing path: "${C}/-/y": missing value`],
    [{ op: 'add', path: '', value: {} }, 'add operation does not apply: doc is missing path: "": missing value'],
    [{ op: 'remove', path: `${C}/5` }, `error in remove for path: '${C}/5': Unable to access invalid index: 5: invalid index referenced`],
    [{ op: 'remove', path: `${C}/-` }, `error in remove for path: '${C}/-': strconv.Atoi: parsing "-": invalid syntax`],
    [{ op: 'remove', path: '/spec/nope' }, "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"],
    [{ op: 'remove', path: `${C}/0/name/x` }, `remove operation does not apply: doc is missing path: "${C}/0/name/x": missing value`],
    [{ op: 'replace', path: `${C}/5`, value: 1 }, `replace operation does not apply: doc is missing key: ${C}/5: missing value`],
    [{ op: 'replace', path: `${C}/-`, value: 1 }, `replace operation does not apply: doc is missing key: ${C}/-: missing value`],
    [{ op: 'replace', path: '/spec/a/b', value: 1 }, 'replace operation does not apply: doc is missing path: /spec/a/b: missing value'],
    [{ op: 'move', from: '/spec/nope', path: '/spec/x' }, "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value"],
    [{ op: 'move', from: `${C}/7`, path: '/spec/x' }, "error in move for path: '7': Unable to access invalid index: 7: invalid index referenced"],
    [{ op: 'move', from: '/spec/a/b', path: '/spec/x' }, 'move operation does not apply: doc is missing from path: /spec/a/b: missing value'],
    [{ op: 'move', from: '/spec/template', path: '/spec/template/x' }, 'move operation does not apply: doc is missing destination path: /spec/template/x: missing value'],
    [{ op: 'move', from: '/spec/replicas', path: `${C}/7` }, `error in move for path: '${C}/7': Unable to access invalid index: 7: invalid index referenced`],
    [{ op: 'move', path: '/spec/x' }, 'move operation failed to decode from: operation, missing from field: missing value'],
    [{ op: 'copy', from: `${C}/7`, path: '/spec/x' }, `error in copy for from: '${C}/7': Unable to access invalid index: 7: invalid index referenced`],
    [{ op: 'copy', from: '/spec/replicas', path: '/spec/q/r' }, 'copy operation does not apply: doc is missing destination path: /spec/q/r: missing value'],
    [{ op: 'copy', from: '/spec/replicas', path: `${C}/7` }, 'error while adding value during copy: Unable to access invalid index: 7: invalid index referenced'],
    [{ op: 'test', path: '/spec/a/b', value: 1 }, 'test operation does not apply: is missing path: /spec/a/b: missing value'],
    [{ op: 'test', path: `${C}/7`, value: 1 }, `error in test for path: '${C}/7': Unable to access invalid index: 7: invalid index referenced`],
    [{ op: 'test', path: '/spec/replicas', value: 2 }, 'testing value /spec/replicas failed: test failed'],
    [{ op: 'bogus', path: '/spec/x', value: 1 }, 'Unexpected kind: bogus'],
    [{ path: '/spec/x' }, 'Unexpected kind: unknown'],
    [{ op: 'replace', path: '/metadata', value: null }, 'missing metadata.name in object {{apps/v1 Deployment} {{ } map[] map[]}}'],
  ];
  for (const [op, message] of cases) {
    const r = resource();
    const prov = new Map(r.prov);
    assert.throws(() => applyJsonPatch(r, [{ op: 'replace', path: '/spec/replicas', value: 9 }, op as JsonPatchOp], provOf), (e: unknown) => e instanceof KustomizeError && e.message === message, JSON.stringify(op));
    assert.deepEqual(r.obj, DEPLOY, 'an earlier op of a failing patch is not applied');
    assert.deepEqual(r.prov, prov);
  }
});

test('kubectl quirks: paths without a leading slash, escaped keys, the whole document, annotations always present', () => {
  // 'spec/x' loses its first segment (kubectl put x at the top level)
  assert.equal(apply([{ op: 'add', path: 'spec/x', value: 1 }]).obj.x, 1);
  // ~1 and ~0 unescape; a trailing slash is the empty key
  const esc = apply([{ op: 'add', path: '/metadata/labels', value: {} }, { op: 'add', path: '/metadata/labels/a~1b~0c', value: 'x' }, { op: 'add', path: '/spec/', value: 1 }]);
  assert.deepEqual((esc.obj.metadata as JsonObject).labels, { 'a/b~c': 'x' });
  assert.equal((esc.obj.spec as JsonObject)[''], 1);
  assert.deepEqual(writers(esc, '/metadata/labels/a~1b~0c'), ['1:']);
  assert.ok(!esc.prov.has('/metadata/labels'), 'the empty map is no longer a leaf');
  assertProvMatchesShape(esc);
  // replace of the whole document
  const whole = apply([{ op: 'replace', path: '', value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z' } } }]);
  assert.deepEqual(whole.obj, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z' } });
  assert.deepEqual(writers(whole, '/metadata/name'), ['0:/metadata/name']);
  assert.equal(whole.prov.size, 3);
  // kustomize keeps internal annotations on the resource during a JSON patch: adding under
  // /metadata/annotations works without annotations (kubectl), /metadata/labels does not
  const ann = apply([{ op: 'add', path: '/metadata/annotations/x', value: '1' }]);
  assert.deepEqual(ann.obj.metadata, { name: 'app', annotations: { x: '1' } });
  assert.deepEqual(writers(ann, '/metadata/annotations/x'), ['0:']);
  assertProvMatchesShape(ann);
  assert.throws(() => apply([{ op: 'add', path: '/metadata/labels/x', value: '1' }]), { message: 'add operation does not apply: doc is missing path: "/metadata/labels/x": missing value' });
  assert.deepEqual(apply([{ op: 'test', path: '/spec/replicas', value: 1 }]).obj, DEPLOY, 'no annotations left behind');
});
