// Text encodings as kubectl and editors read them (core/textDecode.ts): UTF-16 with a BOM (LE or BE) is decoded for
// the index and the engine alike, a UTF-8 BOM is dropped so offsets count as an editor counts, UTF-16 without a BOM
// fails the build as kubectl's does. kubectl's own output for test/fixtures/encodings is in test/goldens
// (test/unit/kustomizeParity.test.ts compares the engine with it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeText } from '../../server/src/core/textDecode';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { loadFleet, materialize } from '../helpers/fixture';
import { checkFindings, findingRows } from '../../server/src/cli';
import { MAX_YAML_BYTES } from '../../server/src/core/indexFile';

const dir = path.resolve(__dirname, '../fixtures/encodings');
const utf16 = (s: string, be = false) => {
  const le = Buffer.from('\ufeff' + s, 'utf16le');
  if (be) for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
};

test('decodeText: UTF-16 LE and BE with their BOM, a UTF-8 BOM dropped, anything else UTF-8', () => {
  assert.equal(decodeText(utf16('a: "héllo 👋"\n')), 'a: "héllo 👋"\n');
  assert.equal(decodeText(utf16('a: "grüß"\n', true)), 'a: "grüß"\n');
  assert.equal(decodeText(Buffer.from('\ufeffa: 1\n')), 'a: 1\n');
  assert.equal(decodeText(Buffer.from('a: 1\n')), 'a: 1\n');
  assert.equal(decodeText(Buffer.from('a: 1\n\ufeff')), 'a: 1\n\ufeff', 'only a leading BOM is one');
  // Without its BOM UTF-16 stays what the bytes say (NULs): the index skips it, the build fails as kubectl's does.
  assert.ok(decodeText(Buffer.from('a: 1\n', 'utf16le')).includes('\u0000'));
  const nfs = new NodeFileSystem();
  const file = path.join(dir, 'utf16/cm-be.yaml');
  assert.equal(nfs.readFile(file), (nfs.readFileLimited(file, MAX_YAML_BYTES) as { text: string }).text);
});

test('the index reads UTF-16 files with a BOM like UTF-8 ones; no text keeps a BOM', () => {
  const fleet = loadFleet(dir);
  const names = (rel: string) => fleet.facts.get(path.join(dir, rel))?.objects.map((o) => `${o.kind}/${o.name}`);
  assert.deepEqual(names('utf16/cm-le.yaml'), ['ConfigMap/little-endian']);
  assert.deepEqual(names('utf16/cm-be.yaml'), ['ConfigMap/big-endian']);
  assert.deepEqual(names('utf16/base/deployment.yaml'), ['Deployment/web']);
  const k = fleet.facts.get(path.join(dir, 'utf16/kustomization.yaml'))?.kustomize;
  assert.deepEqual(k?.namespace, 'apps');
  assert.deepEqual(k?.generated.map((o) => o.name), ['raw']);
  for (const [file, facts] of fleet.facts) assert.ok(!facts.text.startsWith('\ufeff'), file);
  assert.equal(fleet.facts.get(path.join(dir, 'utf16-no-bom/cm.yaml'))?.skipped, 'binary');
});

test('a UTF-8 BOM is not a column: findings on the first line are where the editor shows them', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories: {}
//- repo/app/kustomization.yaml
resources: [missing.yaml]
`);
  const k = m.file('repo/app/kustomization.yaml');
  fs.writeFileSync(k, '\ufeff' + fs.readFileSync(k, 'utf8'));
  const fleet = loadFleet(m.file('repo'));
  const rows = findingRows(fleet, m.dir, true, checkFindings(fleet, true, false)).filter((r) => r.code === 'path-not-found');
  assert.deepEqual(rows.map((r) => `${r.file}:${r.line}:${r.column}-${r.endColumn}`), ['repo/app/kustomization.yaml:1:13-25']);
});
