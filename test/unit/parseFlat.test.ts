// Most texts are parsed straight from the CST to the flat form (core/parseFlat.ts), without the composer's trees: what
// it gives must be what flattening the composed documents gives (core/compactDocs.ts) — the same node codes, ranges,
// values, sources and types, and the same Document shell — for every text it reads, and it must decline the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Document } from 'yaml';
import { parseFlat } from '../../server/src/core/parseFlat';
import { parseYamlAll, type Token } from '../../server/src/core/yamlParse';
import { compactDocs, expandDocs, type CompactDoc } from '../../server/src/core/compactDocs';
import { parseText } from '../../server/src/core/parsedText';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';
import { yamlUnder } from '../helpers/yamlUnder';
import { MUTATIONS, rngOf } from '../helpers/fuzz';

/** Whether parseFlat read `text` (then checked equal to the composed documents flattened). */
function same(text: string, where: string): boolean {
  const tokens: Token[] = [];
  const flat = parseFlat(text, tokens);
  const composed = parseYamlAll(text);
  const expected = compactDocs(composed, text);
  if (!flat) {
    assert.ok(tokens.length > 0 || text === '', `${where}: the CST is handed back for the composer`);
    return false;
  }
  assert.ok(expected, `${where}: read flat, but the composed documents are not flattened`);
  // (the data and the shell: parseFlat's documents make their shells when asked)
  const parts = (docs: readonly CompactDoc[]) => docs.map((d) => ({ shell: d.shell, nums: d.nums, vals: d.vals, text: d.text }));
  assert.deepStrictEqual(parts(flat), parts(expected), where);
  flat.forEach((doc: CompactDoc, i) => {
    const shell = expected[i].shell;
    assert.deepStrictEqual(Reflect.ownKeys(doc.shell), Reflect.ownKeys(shell), `${where}#${i}: shell keys`);
    assert.deepStrictEqual(Reflect.ownKeys(doc.shell.directives!), Reflect.ownKeys(shell.directives!), `${where}#${i}: directives keys`);
    assert.equal(doc.shell.schema, shell.schema, `${where}#${i}: the shared schema`);
    assert.equal(doc.shell.options, shell.options, `${where}#${i}: the shared options`);
  });
  const again: Document.Parsed[] = expandDocs(flat);
  assert.deepStrictEqual(again.map(String), composed.map(String), `${where}: printed`);
  return true;
}

const READ = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: b\n',
  'nul: null\ntilde: ~\nNull: Null\nempty:\nb1: true\nb2: False\nyes: yes\nno: no\non: off\n',
  'i: 12\nneg: -3\nplus: +7\nzero: -0\nlead: 007\nsep: 1_000\nhex: 0x1F\noct: 0o17\nbadoct: 0o19\n',
  'f: 1.5\nkeep: 1.50\ndot: .5\ntrail: 5.\nexp: 1e3\nexp2: -1.2E+3\ninf: .inf\nninf: -.inf\nnan: .nan\nNaN: .NaN\n',
  'q1: "a\\tb\\u00e9\\n\\"x\\""\nq2: \'it\'\'s\'\nq3: ""\nq4: \'\'\nq5: "1"\nq6: \'true\'\n',
  'plain: a plain string with spaces\nurl: https://example.com/x?y=1#z\ncolon: a:b\ndash: -x\n',
  'trailing: spaces   \nkey   : v\nend: at the end  \nlast: x',
  'multi: first line\n  second line\n\n  third\nquoted: "one\n  two"\nsingle: \'a\n  b\'\n',
  'list:\n- a\n- b\n-\n- \n- c: 1\n  d: 2\n- - x\n  - y\n',
  'nested:\n  deeper:\n    deepest: 1\n  sibling: 2\nafter: 3\n',
  '1: int key\n"1": string key\ntrue: bool key\n~: null key\n0x1F: hex key\n1.50: float key\n',
  '---\na: 1\n---\nb: 2\n',
  '---\n- 1\n- 2\n',
  '--- \na: 1\n',
  'a: 1\n---\n',
  '---\n---\n',
  'just a scalar\n',
  '"quoted root"\n',
  '42\n',
  'a: 1\r\nb:\r\n  c: "x"\r\n  d:\r\n  - e\r\n',
  '\ufeffa: 1\nb: 2\n',
  'a: 1',
  'a: 1   \nb:    2  \n',
  '\n\na: 1\n',
  'a:\n  - x\n  - y\nb: z\n',
  Array.from({ length: 40 }, (_, i) => `k${i}: ${i}\n`).join(''),
];

/** Texts the flat reading declines (the composer gives them properties, errors or nodes it does not make). */
const DECLINED = [
  '# comment\na: 1\n',
  'a: 1 # trailing\n',
  'a: 1\n\nb: 2\n',
  'a:\n\n  b: 1\n',
  'a: |\n  block\n',
  'a: >-\n  folded\n',
  'a: [1, 2]\n',
  'a: {b: c}\n',
  '? complex\n: key\n',
  'a: 1\na: 2\n',
  '.nan: 1\n.NaN: 2\n',
  '1.5: a\n1.50: b\n',
  `${Array.from({ length: 20 }, (_, i) => `k${i}: ${i}\n`).join('')}k18: again\n`, // (a key first seen past the first 16 keys, repeated: the Set's check)
  `${Array.from({ length: 20 }, (_, i) => `${i}: x\n`).join('')}18.0: again\n`,
  '0x1F: a\n31: b\n',
  'a: 1\n...\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: b: c\n',
  'a:\n\tb: 1\n',
  'a: "unclosed\n',
  'a: @reserved\n',
  'a: `reserved\n',
  'a: %directive\n',
  'a\nb: 1\n',
  '  a: 1\n b: 2\n',
  `${'k'.repeat(1100)}: v\n`,
  `${'- '.repeat(300)}x\n`,
];

/** Texts near the edges of what the reading takes (long keys, odd indentation): read exactly or declined. */
const EITHER = [
  'a: - b\n',
  'a:\n- b\n- c\n',
  '- a\n  - b\n',
  'a: 1\n b: 2\n',
  'key:    \n',
  `${'k'.repeat(1020)}: v\n`,
  `${'k'.repeat(1030)}: v\n`,
  `k${' '.repeat(1030)}: v\n`,
  `a:\n  ${'k'.repeat(1022)}: v\n  b: 1\n`,
  `${'- '.repeat(250)}x\n`,
  '- \n-\n- x\n',
  '---\n',
  '--- x\n',
  '--- a: 1\n',
  '"a": 1\n\'b\': 2\n"c" : 3\n',
  'a: "x" \nb: \'y\'  \n',
  '@a: 1\n',
  'a: @b\n',
  'a: `b\n',
  'a: %b\n',
  'a: "\\q"\n',
  "a: 'x\n",
];

test('the flat reading of a text is the composed documents flattened: scalars by the schema, ranges, shells', () => {
  for (const text of READ) assert.ok(same(text, JSON.stringify(text)), `read flat: ${JSON.stringify(text)}`);
  for (const text of DECLINED) assert.equal(same(text, JSON.stringify(text)), false, `declined: ${JSON.stringify(text)}`);
  // Read or declined, as long as a text read is read exactly.
  for (const text of EITHER) same(text, JSON.stringify(text));
  assert.equal(same('', 'empty text'), false);
});

test('a text read flat is parsed once and holds no trees until they are asked for', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
  const parsed = parseText(text);
  assert.equal(parsed.flattened, true);
  assert.ok(parsed.flatDocs(), 'flat before any tree is made');
  const docs = parsed.docs;
  assert.equal(docs[0].toString(), text);
  assert.equal(parsed.flatDocs(), undefined, 'the trees made, read them');
  parsed.compact();
  assert.ok(parsed.flatDocs(), 'flat again once compacted');
  assert.equal(parseText('# c\na: 1\n').flattened, false, 'a text the reading declines is composed');
});

function sameOver(files: string[]): { n: number; flat: number } {
  let flat = 0;
  for (const f of files) if (same(fs.readFileSync(f, 'utf8'), f)) flat++;
  return { n: files.length, flat };
}

test('every fixture YAML file reads flat as composed, or is declined', () => {
  const { n, flat } = sameOver(yamlUnder(path.resolve(__dirname, '../fixtures')));
  assert.ok(n > 100 && flat > n / 2, `${flat} of ${n} read flat`);
});

test('every YAML file of the corpora reads flat as composed, or is declined', { skip: !corporaPresent && 'corpora absent' }, () => {
  const { n, flat } = sameOver(yamlUnder(CORPORA_DIR));
  assert.ok(n > 200 && flat > n / 3, `${flat} of ${n} read flat`);
});

const FLEET = path.resolve(__dirname, '../../.bench/fleet');
test('a sample of the synthetic fleet reads flat as composed', { skip: !fs.existsSync(FLEET) && 'no .bench/fleet (npm run bench makes it)' }, () => {
  const { n, flat } = sameOver(yamlUnder(FLEET, 1500));
  assert.ok(flat > n * 0.9, `${flat} of ${n} read flat`);
});

// Hostile texts: the fuzzer's mutations (test/helpers/fuzz.ts) and single YAML indicators typed anywhere, applied to the
// fixtures' files. Each mutated text is read exactly or declined, never read differently from the composer.
const INDICATORS = [':', ': ', '-', '- ', ' ', '  ', '\n', '\r\n', '\r', '"', "'", '#', ' #', '\t', '---', '...', '&a ', '*a', '!!str ', '!t ', '[', ']', '{', '}', ',', '?', '? ', '|', '>', '%', '@', '`', '\\', '0', '1.5', '0x', 'e3', '~', 'null', 'true', '\u2028', '\u0085', '\ufeff', '\0', 'é'];
test('mutated fixture texts are read flat as composed, or declined (seeded, 3,000 cases)', () => {
  const files = yamlUnder(path.resolve(__dirname, '../fixtures')).map((f) => fs.readFileSync(f, 'utf8')).filter((t) => t.length < 20_000);
  const light = MUTATIONS.filter((m) => !['huge-scalar', 'many-documents', 'deep-flow', 'deep-block', 'alias-bomb', 'utf16'].includes(m.name));
  const r = rngOf(0x9a75e);
  let read = 0;
  for (let i = 0; i < 3000; i++) {
    const base = files[Math.floor(r() * files.length)];
    let text: string;
    if (r() < 0.5) {
      const m = light[Math.floor(r() * light.length)];
      text = m.apply(base, r).toString('utf8');
    } else {
      text = base;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
        const at = Math.floor(r() * (text.length + 1));
        text = text.slice(0, at) + INDICATORS[Math.floor(r() * INDICATORS.length)] + text.slice(at);
      }
    }
    if (same(text, `case ${i}: ${JSON.stringify(text.slice(0, 200))}`)) read++;
  }
  assert.ok(read > 300, `${read} of 3,000 mutated texts read flat`);
});
