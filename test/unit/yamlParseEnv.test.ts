// Every parse reads the `yaml` package's debug switches (process.env.LOG_TOKENS, LOG_STREAM) once, not once per token
// (core/yamlParse.ts asParsing: each read of Node's process.env is a call into its environment store), keeps what they
// do, and leaves process.env as it found it, whatever the parse gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml, parseYamlAll, type Token } from '../../server/src/core/yamlParse';
import { parseText } from '../../server/src/core/parsedText';

/** Runs `fn` with process.env a proxy of `env` that counts the reads of each name. */
function countingEnv(env: Record<string, string | undefined>, fn: () => void): Map<string, number> {
  const real = process.env;
  const reads = new Map<string, number>();
  const counting = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') reads.set(name, (reads.get(name) ?? 0) + 1);
      return Reflect.get(target, name);
    },
  });
  process.env = counting;
  try {
    fn();
    assert.equal(process.env, counting, 'process.env put back');
  } finally {
    process.env = real;
  }
  return reads;
}

const TEXT = Array.from({ length: 500 }, (_, i) => `k${i}: v${i}`).join('\n') + '\n---\n- a\n- b\n';

test('a parse reads LOG_TOKENS and LOG_STREAM once, not once per token or document, on every path', () => {
  const paths: Array<[string, () => unknown]> = [
    ['flat', () => parseText(TEXT).flatDocs()],
    ['composed', () => parseYamlAll(TEXT)],
    ['composed with its CST', () => parseYamlAll(TEXT, undefined, [] as Token[])],
    ['lenient', () => parseYamlAll(TEXT, { uniqueKeys: false, strict: false })],
    ['one document', () => parseYaml('a: 1\nb: [1, 2]\n')],
  ];
  for (const [name, parse] of paths) {
    const reads = countingEnv({ ...process.env }, () => assert.ok(parse()));
    assert.ok((reads.get('LOG_TOKENS') ?? 0) <= 1, `${name}: LOG_TOKENS read ${reads.get('LOG_TOKENS')} times`);
    assert.ok((reads.get('LOG_STREAM') ?? 0) <= 1, `${name}: LOG_STREAM read ${reads.get('LOG_STREAM')} times`);
  }
});

test('the switches keep their meaning: LOG_TOKENS set, the parser logs its tokens; other names read through', () => {
  const log = console.log;
  let logged = 0;
  const seen = new Set<string | undefined>();
  console.log = () => {
    logged++;
    seen.add(process.env.SOME_NAME);
  };
  try {
    countingEnv({ LOG_TOKENS: '1', SOME_NAME: 'x' }, () => parseYamlAll('a: 1\n'));
  } finally {
    console.log = log;
  }
  assert.ok(logged > 0);
  assert.deepEqual([...seen], ['x']);
});

test('process.env is put back after a parse the parser cannot finish and after a thrown error', () => {
  countingEnv({}, () => {
    const docs = parseYamlAll('['.repeat(100000));
    assert.ok(docs[0].errors.length > 0);
  });
  // (an error thrown from within the parse: the token log failing)
  const log = console.log;
  console.log = () => {
    throw new Error('log failed');
  };
  try {
    countingEnv({ LOG_TOKENS: '1' }, () => assert.throws(() => parseYamlAll('a: 1\n'), /log failed/));
  } finally {
    console.log = log;
  }
});

test('a host whose process.env cannot be set: the parse reads the real one and gives the same documents', () => {
  const real = Object.getOwnPropertyDescriptor(process, 'env')!;
  const expected = JSON.stringify(parseYamlAll(TEXT).map((d) => d.toJS()));
  Object.defineProperty(process, 'env', { value: real.value, writable: false, configurable: true, enumerable: real.enumerable });
  try {
    assert.equal(JSON.stringify(parseYamlAll(TEXT).map((d) => d.toJS())), expected);
    assert.ok(parseText(TEXT).flatDocs());
    assert.equal(process.env, real.value);
  } finally {
    Object.defineProperty(process, 'env', real);
  }
});
