// What a check keeps must not be made where V8 can only allocate it young (issue 12: a scavenge's pause is the bytes it
// copies, and an object kept to the end of a check that was made young is copied once and then promoted). V8 makes
// internalized strings in the old generation, and pretenures the allocation site of an object or array literal once
// its objects survive scavenges; never a class instance made by `new`, a concatenated string, or an array from
// concat/slice/spread. Asked of V8 itself (%InYoungGeneration) after the sites have seen their objects survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { materialize, loadFleet } from '../helpers/fixture';
import { keptString } from '../../server/src/core/keptString';
import { resolvePath } from '../../server/src/core/paths';
import { appended, copyProvenance } from '../../server/src/core/kustomize/provenance';
import { LookupFiles } from '../../server/src/core/evaluate/lookupFiles';
import type { ProvenanceMap } from '../../server/src/core/kustomize/types';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';

v8.setFlagsFromString('--allow-natives-syntax');
const inYoungGeneration = new Function('o', 'return %InYoungGeneration(o)') as (o: unknown) => boolean;
v8.setFlagsFromString('--no-allow-natives-syntax');
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options: { type: 'minor' | 'major' }) => void;

/** Whether `make`'s objects are made old once many of them survived scavenges (as a check's kept objects do). */
function madeOldOnceKept(make: (i: number) => unknown): boolean {
  const kept: unknown[] = [];
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 3000; i++) kept.push(make(i));
    gc({ type: 'minor' });
  }
  let young = 0;
  for (let i = 0; i < 100; i++) {
    const o = make(i);
    if (inYoungGeneration(o)) young++;
    kept.push(o);
  }
  return young === 0;
}

test('the test asks V8 what it asks: objects made by `new` stay young, literals kept are made old', () => {
  class Made {
    constructor(readonly n: number) {}
  }
  assert.equal(madeOldOnceKept((n) => new Made(n)), false);
  assert.equal(madeOldOnceKept((n) => ({ n })), true);
});

test('a kept string is the same text, flat in the old generation; a concatenation is young', () => {
  const made = (i: number) => `kept ${i} → ${'x'.repeat(i % 5)} text`;
  const s = made(7);
  assert.equal(inYoungGeneration(s), true);
  assert.equal(keptString(s), s);
  assert.equal(inYoungGeneration(keptString(s)), false);
  for (const odd of ['', '__proto__', '12', 'constructor', 'a\u0000b']) assert.equal(keptString(odd), odd);
});

test('a kept string is old whatever it was made as: two-byte, a slice, a flat copy, or new', () => {
  const long = `${'y'.repeat(40)}${Math.random()}`;
  const made = [`/spec/\u4e2d/${Math.random()}`, long.slice(3, 30), `/a/${Math.random()}`.split('').join(''), `0${Math.random()}`];
  for (const s of made) {
    const kept = keptString(s);
    assert.equal(kept, s);
    assert.equal(inYoungGeneration(kept), false, JSON.stringify(s));
    assert.equal(keptString(s + ''), kept);
  }
  // A key that reads as an array index is the same text (V8 keeps it as a number: no string-table copy).
  for (const index of ['0', '12', `${Math.floor(Math.random() * 1e6)}`, '4294967295']) assert.equal(keptString(index), index);
  // Every call: not only while the function is new to V8 (its optimized code reads the proxy another way).
  for (let i = 0; i < 20000; i++) {
    const s = `/warm/${i}/${i % 7}`;
    if (keptString(s) !== s) assert.fail(s);
  }
  const late = `/late/${Math.random()}`;
  assert.equal(inYoungGeneration(keptString(late)), false);
});

test('a resolved path of a repository is kept old', () => {
  const p = resolvePath('/repo/apps', `base${Math.random()}/kustomization.yaml`);
  assert.match(p, /^\/repo\/apps\/base0\.\d+\/kustomization\.yaml$/);
  assert.equal(inYoungGeneration(p), false);
});

test("a link's description is kept old", () => {
  const m = materialize(`
//- base/kustomization.yaml
resources: [cm.yaml]
//- base/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: a }
//- clusters/prod/flux.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  path: ./base
  sourceRef: { kind: GitRepository, name: flux-system }
`);
  const fleet = loadFleet(m.dir);
  const refs = [...fleet.links.refsByFile.values()].flat().filter((r) => r.description !== undefined);
  assert.ok(refs.length > 0);
  for (const r of refs) assert.equal(inYoungGeneration(r.description), false, r.description);
});

test('copies of provenance maps, short stacks and lookup file sets are made old once kept', () => {
  const base: ProvenanceMap = new Map([['/metadata/name', [{ file: 'a.yaml', layer: 'resource' as never, value: 'a' }]]]);
  assert.ok(madeOldOnceKept(() => copyProvenance(base)), 'ProvenanceCopy');
  assert.ok(madeOldOnceKept((i) => appended([i], i + 1)), 'a stack of two');
  assert.ok(madeOldOnceKept(() => LookupFiles.empty()), 'LookupFiles');
});

test("a substituted string is kept old, in the object and in its write", () => {
  const m = materialize(`
//- apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data:
  url: https://\${cluster}.example.com/\${env}
//- clusters/prod/flux.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  path: ./apps
  sourceRef: { kind: GitRepository, name: flux-system }
  postBuild:
    substitute: { cluster: prod-eu, env: blue }
`);
  const fleet = loadFleet(m.dir);
  const ctx = allContexts(fleet, rootKustomizations(fleet))[0];
  assert.ok(ctx);
  const cm = ctx.build.resources.find((r) => r.obj.kind === 'ConfigMap')!;
  const url = (cm.obj.data as Record<string, string>).url;
  assert.equal(url, 'https://prod-eu.example.com/blue');
  assert.equal(inYoungGeneration(url), false);
  const write = cm.prov.get('/data/url')!.at(-1)!;
  assert.equal(write.value, url);
  assert.equal(inYoungGeneration(write.value), false);
});
