// `flux-fleet kustomize` prints byte for byte what `kubectl kustomize` prints: every `ok` golden of
// test/goldens/index.json (kubectl's own output, see scripts/goldens.ts) against printResources over the engine's
// build. kustomizeParity.test.ts compares the data; this compares the text (quoting of YAML 1.1 words, dates and
// numbers, block literals, folding at column 80, key order, object order, sequence indentation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildKustomization } from '../../server/src/core/kustomize/build';
import { printResources } from '../../server/src/core/kustomize/output';
import { goYamlDocument, goYamlKeyLess, goYamlNumber } from '../../server/src/core/kustomize/goYamlEmit';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';

const ROOT = path.resolve(__dirname, '../..');
type Index = { entries: Array<{ dir: string; golden: string | null; status: string }> };
const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/goldens/index.json'), 'utf8')) as Index;
// The corpora's goldens too, when `npm run goldens -- --corpora` made them and ../shared is here.
const corporaIndexFile = path.join(ROOT, '.goldens-cache/corpora/index.json');
const corpora =
  fs.existsSync(corporaIndexFile) && fs.existsSync(path.resolve(ROOT, '../shared/corpora'))
    ? (JSON.parse(fs.readFileSync(corporaIndexFile, 'utf8')) as Index)
    : undefined;

const projectFs = new NodeFileSystem();
const nodeFs = {
  // The project's own reading (UTF-16 with a BOM decoded, a UTF-8 BOM dropped: core/textDecode.ts).
  readFile: (p: string) => (fs.existsSync(p) && fs.statSync(p).isFile() ? projectFs.readFile(p) : undefined),
  readBytes: (p: string) => (fs.existsSync(p) && fs.statSync(p).isFile() ? new Uint8Array(fs.readFileSync(p)) : undefined),
  listDir: (p: string) => (fs.existsSync(p) ? fs.readdirSync(p).sort() : []),
};

for (const entry of [...index.entries, ...(corpora?.entries ?? [])].filter((e) => e.status === 'ok')) {
  test(`printed like kubectl: ${entry.dir}`, () => {
    const result = buildKustomization(path.join(ROOT, entry.dir), nodeFs);
    const expected = fs.readFileSync(path.join(ROOT, entry.golden!), 'utf8');
    assert.equal(printResources(result.resources), expected);
  });
}

test('go-yaml quoting: YAML 1.1 words, numbers, dates in double quotes; indicators in single quotes', () => {
  const doc = goYamlDocument({ off: 'off', No: 'No', y: 'y', t: '~', d: '2024-01-01', o: '0755', b: '12:30', ok: 'plain text', c: 'a: b', e: '' });
  assert.equal(doc, '"No": "No"\nb: "12:30"\nc: \'a: b\'\nd: "2024-01-01"\ne: ""\no: "0755"\n"off": "off"\nok: plain text\nt: "~"\n"y": "y"\n');
});

test('go-yaml key order and numbers', () => {
  const keys = ['item10', 'item2', 'a01', 'a1', '10', '9', '_x', 'B', 'a'];
  assert.deepEqual([...keys].sort((a, b) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0)), ['_x', '9', '10', 'B', 'a', 'a1', 'a01', 'item2', 'item10']);
  assert.deepEqual([1.5, 0.000001, 1234567.5, 1e21, 1000, -0, 123456.5].map(goYamlNumber), ['1.5', '1e-06', '1.2345675e+06', '1e+21', '1000', '0', '123456.5']);
});
