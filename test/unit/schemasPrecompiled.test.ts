// The catalogue schemas' validators compiled when building (core/schemas/precompiled.ts, standalone.ts): the ones
// written are those the sources compile now, SchemaValidators uses them (compiling none), and they say what a
// validator compiled at run time says, issue for issue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogEntries } from '../../server/src/core/schemas/catalog';
import { SchemaValidators } from '../../server/src/core/schemas/validate';
import { precompiledValidator } from '../../server/src/core/schemas/precompiled';
import { validatorModules, validatorPath } from '../../server/src/core/schemas/standalone';
import { FLEET_CONFIG_VALIDATOR_FILE, fleetConfigSchemaProblems, fleetConfigValidator } from '../../server/src/core/schemas/fleetConfigSchema';
import { parseDocument } from 'yaml';

const schemasDir = path.resolve(__dirname, '../../schemas');

test('schemas/validators/ holds every catalogue schema compiled as the sources compile it now', () => {
  const modules = validatorModules();
  assert.equal(modules.size, new Set(catalogEntries().map((e) => e.file)).size + 1);
  assert.ok(modules.has(FLEET_CONFIG_VALIDATOR_FILE), 'and the .flux-fleet.yaml schema');
  for (const [file, code] of modules) {
    const written = path.join(schemasDir, validatorPath(file));
    assert.ok(fs.existsSync(written), `${written} is written (run npm run build)`);
    assert.equal(fs.readFileSync(written, 'utf8'), code, `${written} is up to date (run npm run build)`);
  }
});

test('SchemaValidators uses the precompiled validators; without them it compiles its own', () => {
  const precompiled = new SchemaValidators();
  const compiling = new SchemaValidators(() => undefined);
  for (const e of catalogEntries()) {
    const v = precompiledValidator(e.file);
    assert.equal(typeof v, 'function', e.file);
    assert.equal(precompiled.validatorFor(e), v, `${e.file}: the precompiled validator`);
    const own = compiling.validatorFor(e);
    assert.notEqual(own, v, `${e.file}: compiled at run time`);
    assert.equal(compiling.validatorFor(e), own, `${e.file} is compiled once`);
  }
  assert.equal(precompiledValidator('example.com/none-v1.json'), undefined);
});

/** Documents of an entry's kind that break its schema in several ways (and one that does not). */
function documentsOf(apiVersion: string, kind: string): unknown[] {
  const head = { apiVersion, kind, metadata: { name: 'x', namespace: 'ns' } };
  return [
    head,
    { ...head, spec: { interval: 5, suspend: 'yes', unknownField: true, timeout: '${TIMEOUT}', sourceRef: { kind: 'Nope' } } },
    { ...head, spec: [], extra: 1 },
    { ...head, metadata: { name: 3, labels: { a: 1 }, annotations: ['x'] }, spec: { interval: '1m', url: 'https://x', path: '${P}', values: 'x', dependsOn: [{ nam: 'a' }] } },
    { resources: 'x', patches: [{ path: 3, target: { kind: 1 } }, { patch: '${X}' }], namePrefix: ['a'], images: [{ name: 'a', newTag: 1 }], replicas: [{ name: 'a' }] },
  ];
}

test('a precompiled validator finds what one compiled at run time finds, issue for issue', () => {
  const precompiled = new SchemaValidators();
  const compiling = new SchemaValidators(() => undefined);
  let issues = 0;
  let placeholders = 0;
  for (const e of catalogEntries()) {
    for (const doc of documentsOf(e.apiVersion, e.kind)) {
      const want = compiling.validateValue(e, doc);
      const got = precompiled.validateValue(e, doc);
      assert.deepEqual(got, want, `${e.file}: ${JSON.stringify(doc)}`);
      issues += want.issues.length;
      placeholders += want.placeholders.length;
    }
  }
  assert.ok(issues > 100 && placeholders > 0, `${issues} issues, ${placeholders} placeholders compared`);
});

test('.flux-fleet.yaml: the precompiled validator is used (none compiled) and reports what one compiled at run time does', () => {
  const v = precompiledValidator(FLEET_CONFIG_VALIDATOR_FILE);
  assert.equal(typeof v, 'function');
  assert.equal(fleetConfigValidator()(), v, 'the precompiled validator');
  const compiling = fleetConfigValidator(() => undefined);
  assert.notEqual(compiling(), v, 'compiled at run time without one');
  assert.equal(compiling(), compiling(), 'compiled once');
  const texts = [
    'repositories:\n  https://github.com/a/b: ../b\n',
    'repositories: 3\nunknownTop: 1\n',
    'repositories:\nhttps://github.com/a/b: ../b\ntenants: x\npolicy: [1]\n',
    'provides: {}\nrepositorys:\n  x: y\n',
  ];
  let problems = 0;
  for (const text of texts) {
    const looksLikeMapping = (k: string) => /[:/]/.test(k);
    const want = fleetConfigSchemaProblems(parseDocument(text), looksLikeMapping, compiling);
    const got = fleetConfigSchemaProblems(parseDocument(text), looksLikeMapping, () => v!);
    assert.deepEqual(got, want, text);
    problems += want.length;
  }
  assert.ok(problems >= 4, `${problems} problems compared`);
});
