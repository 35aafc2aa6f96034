// keptString hands a string to V8's string table. V8 hashes a string longer than 16,383 characters by its length alone
// (String::kMaxHashCalcLength), so every such string of one length collides in the table, and each lookup compares the
// text with every one of them: N distinct long strings of one length cost O(N² × length). A fleet substituting one
// large ConfigMap (a dashboard in a `|` block) per context gives exactly that (cluster names of one length).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keptString } from '../../server/src/core/keptString';

function cpuMs(run: () => void): number {
  const t = process.cpuUsage();
  run();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
}

test('keptString of many long strings of one length is not quadratic (and still the same text)', () => {
  const n = 1200;
  const prefix = 'd'.repeat(20_000);
  // the same strings twice: one length for all (the collision case), and lengths that all differ (no collision)
  const sameLength = Array.from({ length: n }, (_, i) => (prefix + String(i).padStart(6, '0')).slice(1));
  const otherLengths = Array.from({ length: n }, (_, i) => (prefix + 'x'.repeat(i) + String(i).padStart(6, '0')).slice(1));
  const kept: string[] = [];
  const collide = cpuMs(() => {
    for (const s of sameLength) kept.push(keptString(s));
  });
  const apart = cpuMs(() => {
    for (const s of otherLengths) kept.push(keptString(s));
  });
  for (let i = 0; i < n; i++) assert.equal(kept[i], sameLength[i]);
  // (without the bound: ~1,400 ms against ~40 ms; with it both are a few ms)
  assert.ok(collide < 10 * apart + 50, `one length ${collide.toFixed(0)} ms, distinct lengths ${apart.toFixed(0)} ms`);
});

test('keptString of a 4 MB string is the same text', () => {
  const big = 'y'.repeat(4 * 1024 * 1024 - 3) + '\ud800z';
  assert.equal(keptString(big.slice(1)), big.slice(1));
});
