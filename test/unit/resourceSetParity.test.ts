// Parity with the Flux Operator: each ResourceSet of the operator's own test data (../shared/corpora/
// flux-operator-resourceset, AGPL: read here, never copied) expands to exactly the objects its `build resourceset`
// command printed for it (compared as objects: the operator prints sorted keys). Skips when the corpus is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CORPORA_DIR } from '../helpers/corpora';
import { expandResourceSet, readDocuments } from '../../server/src/core/resourceSet';

const dir = path.join(CORPORA_DIR, 'flux-operator-resourceset');
const present = fs.existsSync(dir);
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
const docs = (f: string) => readDocuments(path.join(dir, f), read(f));

/** The golden's objects, and for each the step named by the last `# step:` line before it. */
function golden(f: string): Array<{ step?: string; obj: unknown }> {
  const out: Array<{ step?: string; obj: unknown }> = [];
  let step: string | undefined;
  for (const chunk of read(f).split(/^---$/m)) {
    const obj = parseAllDocuments(chunk)[0]?.toJS();
    if (obj !== null && obj !== undefined) out.push(step === undefined ? { obj } : { step, obj });
    for (const m of chunk.matchAll(/^# step: (\S+)$/gm)) step = m[1];
  }
  return out;
}

const cases: Array<{ name: string; rset: string; providers?: string; inputs?: string; expected: string }> = [
  { name: 'its own spec.inputs', rset: 'rset-standalone.yaml', expected: 'golden.yaml' },
  { name: 'a Static provider chosen by label', rset: 'rset-with-rsip.yaml', providers: 'rsip.yaml', expected: 'golden.yaml' },
  { name: 'a plain inputs file', rset: 'rset-with-rsip.yaml', inputs: 'inputs.yaml', expected: 'golden.yaml' },
  { name: 'Permute', rset: 'rset-with-rsip-permuted.yaml', providers: 'rsip.yaml', expected: 'golden-permuted.yaml' },
  { name: 'providers chosen by matchLabels and matchExpressions', rset: 'rset-with-rsip-labeled.yaml', providers: 'rsip-labeled.yaml', expected: 'golden-labeled.yaml' },
  { name: 'providers chosen by name', rset: 'rset-with-rsip-named.yaml', providers: 'rsip-named.yaml', expected: 'golden-named.yaml' },
  { name: 'a `---` inside an input value', rset: 'rset-with-rsip-separator.yaml', providers: 'rsip-separator.yaml', expected: 'golden-separator.yaml' },
];

for (const c of cases) {
  test(`operator parity: ${c.rset}${c.providers ? ' + ' + c.providers : ''}${c.inputs ? ' + ' + c.inputs : ''} (${c.name})`, { skip: !present && 'corpus absent' }, () => {
    const [rset] = docs(c.rset);
    if (c.inputs) {
      // The operator's --inputs-from: the file's list replaces spec.inputs.
      (rset.obj.spec as Record<string, unknown>).inputs = parseAllDocuments(read(c.inputs))[0].toJS();
    }
    const x = expandResourceSet(rset, c.providers ? docs(c.providers) : []);
    assert.deepEqual(x.findings.filter((f) => f.severity === 'error'), []);
    assert.equal(x.failed, false);
    assert.deepEqual(
      x.objects.map((o) => o.obj),
      golden(c.expected).map((g) => g.obj),
    );
  });
}

test('operator parity: rset-with-steps.yaml (steps, each step its objects)', { skip: !present && 'corpus absent' }, () => {
  const [rset] = docs('rset-with-steps.yaml');
  const x = expandResourceSet(rset, []);
  assert.equal(x.failed, false);
  const expected = golden('golden-steps.yaml');
  assert.deepEqual(
    x.steps?.flatMap((s) => s.objects.map((i) => ({ step: s.name, obj: x.objects[i].obj }))),
    expected,
  );
  assert.deepEqual(x.steps?.map((s) => s.name), ['pre-deploy', 'deploy']);
});

test('operator parity: rset-steps-and-resources.yaml is rejected like the operator rejects it', { skip: !present && 'corpus absent' }, () => {
  const [rset] = docs('rset-steps-and-resources.yaml');
  const x = expandResourceSet(rset, []);
  assert.equal(x.failed, true);
  const f = x.findings.find((f) => f.code === 'resourceset-invalid');
  assert.ok(f, 'a resourceset-invalid finding');
  assert.match(f.message, /spec\.steps is mutually exclusive with spec\.resources and spec\.resourcesTemplate/);
  assert.equal(read('rset-steps-and-resources.yaml').slice(f.span.start, f.span.end), 'steps');
});
