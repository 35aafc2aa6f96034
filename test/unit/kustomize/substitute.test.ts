// Flux postBuild substitution: the forms Flux accepts, escapes, defaults, and what it leaves alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substitute, findVariables } from '../../../server/src/core/kustomize/substitute';

const vars: Record<string, string> = { cluster: 'prod-eu', empty: '', app: 'sonarr', path: 'a/b/c.tar.gz' };
const get = (n: string) => vars[n];
const sub = (t: string) => substitute(t, get).text;

test('plain, default and alternative forms', () => {
  assert.equal(sub('name: ${cluster}'), 'name: prod-eu');
  assert.equal(sub('${missing:=fallback}'), 'fallback');
  assert.equal(sub('${missing:-fallback}'), 'fallback');
  assert.equal(sub('${empty:=fallback}'), 'fallback');
  assert.equal(sub('${empty=fallback}'), '');
  assert.equal(sub('${missing=fb}'), 'fb');
  assert.equal(sub('${cluster:=fallback}'), 'prod-eu');
  assert.equal(sub('${missing}'), '');
});

test('case, length, substring, pattern removal and replacement', () => {
  assert.equal(sub('${app^}'), 'Sonarr');
  assert.equal(sub('${app^^}'), 'SONARR');
  assert.equal(sub('${cluster,,}'), 'prod-eu');
  assert.equal(sub('${#app}'), '6');
  assert.equal(sub('${cluster:0:4}'), 'prod');
  assert.equal(sub('${cluster:5}'), 'eu');
  assert.equal(sub('${path#*/}'), 'b/c.tar.gz');
  assert.equal(sub('${path##*/}'), 'c.tar.gz');
  assert.equal(sub('${path%.*}'), 'a/b/c.tar');
  assert.equal(sub('${path%%.*}'), 'a/b/c');
  assert.equal(sub('${cluster/-/_}'), 'prod_eu');
  assert.equal(sub('${path//\\//:}'), sub('${path//\\//:}'));
});

test('escapes and the unbraced form are left for the shell', () => {
  assert.equal(sub('echo $${HOME} $HOME ${cluster}'), 'echo ${HOME} $HOME prod-eu');
});

test('uses report which variables were undefined or defaulted, with offsets', () => {
  const r = substitute('a ${missing} b ${other:=x} c ${cluster}', get);
  assert.deepEqual(r.uses.map((u) => [u.name, u.value, u.defaulted]), [['missing', undefined, false], ['other', 'x', true], ['cluster', 'prod-eu', false]]);
  assert.equal('a ${missing} b'.slice(r.uses[0].start, r.uses[0].end), '${missing}');
});

test('findVariables skips escapes and notes defaults', () => {
  assert.deepEqual(findVariables('$${A} ${B} ${C:=1}').map((v) => [v.name, v.hasDefault]), [['B', false], ['C', true]]);
});
