// The fleet database (server/src/db): one parse per file text across a whole check, only the edited file parsed
// again after an edit, and two fleets in one process that share no cached value.
import { deployerName } from '../../server/src/core/evaluate/contextId';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser } from 'yaml';
import * as ide from '../../server/src/ide';
import { loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { helmReleaseValues } from '../../server/src/core/evaluate/helmValues';
import { FleetDb, defineQuery } from '../../server/src/db/fleetDb';
import type { Fleet } from '../../server/src/core/model';
import { tempDir } from '../helpers/tempDir';

const fixtures = path.resolve(__dirname, '../fixtures');

/** Counts every parse of the `yaml` package by the text parsed (parseAllDocuments, parseDocument, a bare CST parse). */
function countParses<T>(run: () => T): { result: T; parses: Map<string, number> } {
  const parses = new Map<string, number>();
  const original = Parser.prototype.parse;
  Parser.prototype.parse = function* (this: Parser, source: string, incomplete?: boolean) {
    parses.set(source, (parses.get(source) ?? 0) + 1);
    yield* original.call(this, source, incomplete);
  } as typeof original;
  try {
    return { result: run(), parses };
  } finally {
    Parser.prototype.parse = original;
  }
}

/** Files holding each indexed text (identical texts in two files are two file texts: parsed once each). */
function filesByText(fleet: Fleet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [file, facts] of fleet.facts) if (!facts.skipped) out.set(facts.text, [...(out.get(facts.text) ?? []), file]);
  return out;
}

for (const name of ['fleet', 'locks', 'values', 'broken', 'duplicates', 'kustomize-errors']) {
  test(`a whole check of test/fixtures/${name} parses each text exactly once, files of the same text sharing it (index, kustomize, values, locks, schemas)`, () => {
    const { result: fleet, parses } = countParses(() => {
      const f = ide.openFleet([path.join(fixtures, name)]);
      ide.check(f, { strictSubstitution: true, schema: true });
      return f;
    });
    const wrong = [...filesByText(fleet)].filter(([text]) => parses.get(text) !== 1).map(([text, files]) => `${files.join(', ')}: ${parses.get(text) ?? 0} parses`);
    assert.deepEqual(wrong, []);
    for (const files of filesByText(fleet).values()) {
      assert.deepEqual(files.map((f) => fleet.db.parses.counts.get(f) ?? 0).reduce((a, b) => a + b), 1, files.join(', '));
      const [first, ...rest] = files.map((f) => fleet.parse(f, fleet.facts.get(f)!.text));
      for (const other of rest) assert.equal(other, first, `${files.join(', ')} share one parse`);
    }
  });
}

test('after editing one file, a whole check parses that file again and no other', () => {
  const fleet = ide.openFleet([path.join(fixtures, 'locks')]);
  ide.check(fleet, { strictSubstitution: true, schema: true });
  const before = new Map(fleet.db.parses.counts);
  const file = path.join(fixtures, 'locks/platform/clusters/prod/tenants.yaml');
  const edited = fleet.facts.get(file)!.text + '# an edit\n';
  const { parses } = countParses(() => {
    fleet.setOverlay(file, edited);
    ide.check(fleet, { strictSubstitution: true, schema: true });
  });
  assert.deepEqual([...parses.keys()].filter((t) => filesByText(fleet).has(t)), [edited], 'only the edited text was parsed');
  const again = [...fleet.db.parses.counts].filter(([f, n]) => n !== before.get(f)).map(([f]) => f);
  assert.deepEqual(again, [file]);
  assert.equal(fleet.db.parses.counts.get(file), 2);
});

/** The values fixture copied twice over one path is not possible: one copy, changed between the two loads. */
function copyOfValuesFixture(): string {
  const dir = tempDir('ff-db-');
  fs.cpSync(path.join(fixtures, 'values'), dir, { recursive: true });
  return dir;
}

function chartValuesOf(fleet: Fleet): unknown {
  const ctx = allContexts(fleet, rootKustomizations(fleet)).find((c) => deployerName(c.id) === 'flux-system/tenant')!;
  const hr = ctx.build.resources.find((r) => r.obj.kind === 'HelmRelease')!;
  const values = helmReleaseValues(fleet, hr, ctx.build.resources);
  return { image: values.values.image, chartDefaultWrites: [...values.prov.values()].flat().filter((w) => w.layer.step === 'chart-defaults').length };
}

test('two fleets in one process share no cached value: the same values file path with different texts', () => {
  const dir = copyOfValuesFixture();
  const chart = path.join(dir, 'tenant/charts/web/values.yaml');
  const a = loadFleet(dir);
  const fromA = chartValuesOf(a);
  // The same path, another text, in a second fleet (the process-wide values cache once answered both).
  fs.writeFileSync(chart, fs.readFileSync(chart, 'utf8').replace('repository: ghcr.io/acme/web', 'repository: ghcr.io/acme/web\n  pullPolicy: Always'));
  const b = loadFleet(dir);
  const fromB = chartValuesOf(b);
  assert.deepEqual((fromA as { image: unknown }).image, { repository: 'ghcr.io/acme/web', tag: '1.0.0' });
  assert.deepEqual((fromB as { image: unknown }).image, { repository: 'ghcr.io/acme/web', tag: '1.0.0', pullPolicy: 'Always' });
  assert.deepEqual(chartValuesOf(a), fromA, 'the first fleet still answers from its own text');
  assert.notEqual(a.db, b.db);
});

test('a fresh fleet computes everything itself: the same work in two fleets gives the same statistics', () => {
  const run = () => {
    const fleet = ide.openFleet([path.join(fixtures, 'locks')]);
    ide.check(fleet, { strictSubstitution: true, schema: true });
    const stats = fleet.db.stats();
    delete stats.identity; // numbers handed out per object: as many as objects, the same in both
    return stats;
  };
  const first = run();
  const second = run();
  assert.ok(Object.keys(first).length >= 10, Object.keys(first).join(', '));
  assert.deepEqual(second, first, 'a second fleet found entries it did not compute (a cache shared between fleets)');
  for (const [name, s] of Object.entries(first)) assert.ok(s.misses > 0 || s.size > 0, `${name} was computed`);
});

test('a declared query is reused while its inputs are unchanged and recomputed when one changes', () => {
  const db = new FleetDb();
  let runs = 0;
  const lockIndexQuery = defineQuery('lockIndex', (ctx: { n: number }, key: string) => `${key}:${ctx.n}:${++runs}`);
  const settingsOnly = defineQuery('objectPattern', (_: null, key: string) => `${key}:${++runs}`);
  assert.equal(db.query(lockIndexQuery, { n: 1 }, 'k'), 'k:1:1');
  assert.equal(db.query(lockIndexQuery, { n: 2 }, 'k'), 'k:1:1', 'reused: no input changed');
  db.changed('texts');
  assert.equal(db.query(lockIndexQuery, { n: 3 }, 'k'), 'k:3:2', 'recomputed: an input it reads changed');
  assert.equal(db.query(settingsOnly, null, 'x'), 'x:3');
  db.changed('texts');
  assert.equal(db.query(settingsOnly, null, 'x'), 'x:3', 'a query with no inputs never recomputes');
  assert.deepEqual(db.stats().lockIndex, { hits: 1, misses: 2, size: 1 });
  assert.equal(db.revision, 2);
});

test('bounded tables drop their least recently used entries (the one LRU policy)', () => {
  const db = new FleetDb();
  const { table, lru } = db.lru<string, number>('folderBuild', { max: 2 });
  table.set('a', 1);
  table.set('b', 2);
  assert.equal(table.get('a'), 1); // a is now the most recently used
  table.set('c', 3);
  assert.deepEqual([table.get('a'), table.get('b'), table.get('c')], [1, undefined, 3]);
  assert.equal(lru.itemCount, 2);
  assert.deepEqual(db.stats().folderBuild, { hits: 3, misses: 1, size: 2 });
});

test('a dropped table is gone with its entries: the next use opens an empty one (the soak measures a table so)', () => {
  const db = new FleetDb();
  db.table<string, number>('lockIndex').set('a', 1);
  db.weak<object, number>('manifests').set(db, 2);
  db.drop('lockIndex');
  db.drop('manifests');
  assert.equal(db.stats().lockIndex, undefined);
  assert.equal(db.table<string, number>('lockIndex').get('a'), undefined);
  assert.equal(db.weak<object, number>('manifests').get(db), undefined);
  assert.deepEqual(db.stats().lockIndex, { hits: 0, misses: 1, size: 0 });
});
