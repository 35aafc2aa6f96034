// `.flux-fleet.yaml` against its own schema (issue 16): a wrongly indented file is no longer silently ignored, the
// finding is at the misplaced key with a stable code, and the schema completes and describes the file's keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFleet, materialize } from '../helpers/fixture';
import { parseFleetConfig } from '../../server/src/core/fleetConfig';
import { FLEET_CONFIG_SCHEMA } from '../../server/src/core/schemas/fleetConfigSchema';
import { completion } from '../../server/src/features/completion';
import { hover } from '../../server/src/ide/hover';

const problems = (text: string) => parseFleetConfig('/r/.flux-fleet.yaml', text).problems.map((p) => `${text.slice(p.span.start, p.span.end)} | ${p.message}`);

test('a mapping indented at the top level: config-invalid at its key, saying where it belongs', () => {
  const text = 'repositories:\nhttps://github.com/acme/tenant: ../tenant\n';
  assert.deepEqual(problems(text), ['https://github.com/acme/tenant | https://github.com/acme/tenant is not a field of .flux-fleet.yaml: a source mapping belongs under repositories:, indented below it.']);
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
https://github.com/acme/tenant: ../tenant
//- repo/a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
`);
  const fleet = loadFleet(m.file('repo'));
  const f = fleet.links.findings.filter((x) => x.file === m.file('repo/.flux-fleet.yaml'));
  assert.deepEqual(f.map((x) => [x.code, x.severity]), [['config-invalid', 'error']]);
});

test('a misspelled or misplaced section, and repositories that is no map', () => {
  assert.deepEqual(problems('tenant:\n  - name: a\n'), ["tenant | unknown field 'tenant' (did you mean 'tenants'?): .flux-fleet.yaml has repositories, provided, tenants, providerSamples, locks, required; this one is ignored."]);
  assert.deepEqual(problems('repositories:\n  - https://github.com/acme/x\n'), ['- https://github.com/acme/x\n | repositories: must be a map, not a list (["https://github.com/acme/x"]) (.flux-fleet.yaml schema)']);
  // The sections' own checks stay theirs: one finding for one mistake.
  assert.deepEqual(problems('repositories:\n  https://github.com/acme/x: true\n'), ['true | repositories: the folder of https://github.com/acme/x must be a path (a string), not true']);
  assert.deepEqual(problems('repositories:\n  https://github.com/acme/x: ../x\nlocks:\n  - paths: [spec.suspend]\n'), []);
});

test('the schema knows every section the parsers read', () => {
  assert.deepEqual(Object.keys(FLEET_CONFIG_SCHEMA.properties).sort(), ['locks', 'provided', 'providerSamples', 'repositories', 'required', 'tenants']);
});

test('completion and hover of .flux-fleet.yaml keys from its schema', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/x: ../x
tenants:
  - name: a
    namespaces: [a]

//- repo/a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
`);
  const fleet = loadFleet(m.file('repo'));
  const file = m.file('repo/.flux-fleet.yaml');
  const text = fleet.facts.get(file)?.text ?? require('node:fs').readFileSync(file, 'utf8');
  fleet.setOverlay(file, text + 'pro');
  const top = completion(fleet, file, text.length + 3).map((i) => i.label);
  assert.ok(top.includes('provided') && top.includes('providerSamples'), top.join(', '));
  assert.ok(!top.includes('apiVersion') && !top.includes('tenants'), top.join(', '));
  fleet.setOverlay(file, text.replace('    namespaces: [a]\n', '    namespaces: [a]\n    pa\n'));
  const inTenant = completion(fleet, file, text.indexOf('namespaces: [a]') + 'namespaces: [a]\n    pa'.length).map((i) => i.label);
  assert.ok(inTenant.includes('paths') && inTenant.includes('repositories'), inTenant.join(', '));
  fleet.setOverlay(file, text);
  const h = hover(fleet, file, text.indexOf('tenants') + 2)!;
  assert.match(h.markdown, /^\*\*tenants\*\* · list — \.flux-fleet\.yaml\n\nThe platform's tenants/);
});
