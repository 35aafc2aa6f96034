// Duplicate objects are judged after kustomize's transformers (test/fixtures/duplicates): placeholder Namespaces that
// each tenant's `namespace:` renames are no duplicates; two files of one kustomization defining the same object are
// reported once (duplicate-object, by the linker); two sub-builds colliding in the root are reported once
// (kustomize-build-error, by the engine), on the second object's name with the first related.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFleet, materialize, spanText } from '../helpers/fixture';
import { checkFindings } from '../../server/src/cli';
import { offsetToLineCol, computeLineStarts } from '../../server/src/core/text';
import { buildKustomization } from '../../server/src/core/kustomize/build';
import { printResources } from '../../server/src/core/kustomize/output';
import { parseAllDocuments } from 'yaml';

/** Each document of a printed build as `kind namespace/name`, in order, and the documents themselves. */
function documents(text: string): { ids: string[]; objects: unknown[] } {
  const objects = parseAllDocuments(text).map((d) => d.toJS());
  const ids = objects.map((o) => {
    const m = (o.metadata ?? {}) as { name?: string; namespace?: string };
    return `${o.apiVersion} ${o.kind} ${m.namespace ?? ''}/${m.name}`;
  });
  return { ids, objects };
}

const fixtures = path.resolve(__dirname, '../fixtures');
const dir = path.join(fixtures, 'duplicates/platform');
const readFile = (p: string) => (fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : undefined);

test('check: placeholder Namespaces renamed per tenant are no duplicates; true duplicates are reported once each', () => {
  const fleet = loadFleet(dir);
  const findings = checkFindings(fleet, true, false);
  const lines = findings
    .map((f) => {
      const pos = offsetToLineCol(computeLineStarts(fleet.facts.get(f.file)?.text ?? ''), f.span.start);
      return `${f.code} ${path.relative(dir, f.file)}:${pos.line + 1}:${pos.character + 1}`;
    })
    .sort();
  assert.deepEqual(lines, ['duplicate-object apps/twice/copy.yaml:4:9', 'kustomize-build-error apps/split/green/deployment.yaml:4:9']);
  const split = findings.find((f) => f.code === 'kustomize-build-error')!;
  assert.match(split.message, /may not add resource with an already registered id: Deployment\.apps web/);
  assert.equal(spanText(fleet, split.file, split.span), 'web');
  assert.equal(path.relative(dir, split.related![0].file), 'apps/split/blue/deployment.yaml');
  assert.equal(spanText(fleet, split.related![0].file, split.related![0].span), 'web');
  const twice = findings.find((f) => f.code === 'duplicate-object')!;
  assert.equal(path.relative(dir, twice.related![0].file), 'apps/twice/deployment.yaml');
});

test('the tenants build equals kubectl kustomize: Namespaces team-a and team-b, in kubectl\'s order', () => {
  const built = buildKustomization(path.join(dir, 'apps/tenants'), { readFile });
  assert.deepEqual(built.issues, []);
  const golden = fs.readFileSync(path.resolve(__dirname, '../goldens/test__fixtures__duplicates__platform__apps__tenants.yaml'), 'utf8');
  assert.deepEqual(documents(printResources(built.resources)), documents(golden));
  assert.deepEqual(documents(golden).ids.slice(0, 2), ['v1 Namespace /team-a', 'v1 Namespace /team-b']);
});

test('namespace: and namePrefix: follow kustomize\'s own scope data; output in kubectl\'s order', () => {
  const built = buildKustomization(path.join(fixtures, 'kustomize/namespace-scope'), { readFile });
  assert.deepEqual(built.issues, []);
  const golden = fs.readFileSync(path.resolve(__dirname, '../goldens/test__fixtures__kustomize__namespace-scope.yaml'), 'utf8');
  assert.deepEqual(documents(printResources(built.resources)), documents(golden));
});

test('duplicate-object: objects of one name but another id are none; each duplicate is related to the first of its id', () => {
  // One name, three ids (a ConfigMap, a Service, a Deployment) before the duplicates: the second Service and the
  // second Deployment are the duplicates, each of the first object of its own id.
  const doc = (kind: string, apiVersion = 'v1') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\n  namespace: apps\n`;
  const m = materialize(`
//- repo/apps/kustomization.yaml
resources: [a.yaml, b.yaml, c.yaml]
//- repo/apps/a.yaml
${doc('ConfigMap')}---
${doc('Service')}
//- repo/apps/b.yaml
${doc('Deployment', 'apps/v1')}---
${doc('Service')}
//- repo/apps/c.yaml
${doc('Deployment', 'apps/v1')}---
${doc('ConfigMap', 'v2')}
`);
  const fleet = loadFleet(m.dir);
  const where = (file: string, span: { start: number }) => `${path.basename(file)}:${offsetToLineCol(computeLineStarts(fleet.facts.get(file)!.text), span.start).line + 1}`;
  const found = fleet.links.findings
    .filter((f) => f.code === 'duplicate-object')
    .map((f) => `${where(f.file, f.span)} ~ ${where(f.related![0].file, f.related![0].span)}`)
    .sort();
  assert.deepEqual(found, ['b.yaml:10 ~ a.yaml:10', 'c.yaml:4 ~ b.yaml:4']);
});
