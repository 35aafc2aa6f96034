// Every generated schema against every document of its kind in ../shared/corpora (real public fleets): no error.
// Skips cleanly when ../shared is absent (a fresh clone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CORPORA, CORPORA_DIR, corporaPresent, loadCorpus } from '../helpers/corpora';
import { entryForDocument } from '../../server/src/core/schemas/catalog';
import { fleetSchemaDiagnostics } from '../../server/src/features/schemaDiagnostics';
import { fleetDeprecatedApiFindings } from '../../server/src/features/deprecatedApi';

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

for (const name of Object.keys(CORPORA)) {
  test(`corpus ${name}: every document with a schema validates without error`, (t) => {
    if (!corporaPresent) {
      t.skip(`../shared/corpora is absent (${CORPORA_DIR})`);
      return;
    }
    const fleet = loadCorpus(name);
    // What the schemas see: documents per schema, counted on the raw files.
    const counts: Record<string, number> = {};
    for (const root of CORPORA[name].roots) {
      for (const file of yamlFiles(path.join(CORPORA_DIR, root))) {
        for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
          const v = doc.toJS() as Record<string, unknown> | null;
          if (!v || typeof v !== 'object') continue;
          const e = entryForDocument(file.split(path.sep).join('/'), v.apiVersion as string, v.kind as string);
          if (e) counts[`${e.kind} ${e.apiVersion}`] = (counts[`${e.kind} ${e.apiVersion}`] ?? 0) + 1;
        }
      }
    }
    assert.ok(Object.keys(counts).length > 0, 'the corpus has documents the catalogue knows');
    const findings = fleetSchemaDiagnostics(fleet, { evaluate: true });
    const errors = findings.filter((f) => f.severity === 'error').map((f) => `${path.relative(CORPORA_DIR, f.file)}: ${f.message}`);
    assert.deepEqual(errors, []);
    // No warnings: files no build includes (gitops-template's test assertions are partial Apps) get information.
    const warnings = findings.filter((f) => f.severity === 'warning');
    assert.deepEqual(warnings.map((w) => `${path.relative(CORPORA_DIR, w.file)}: ${w.message}`), []);
    for (const w of findings.filter((f) => f.severity === 'information')) assert.match(w.message, /in no build yet/);
    const deprecated = fleetDeprecatedApiFindings(fleet);
    t.diagnostic(`validated: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}; ${findings.filter((f) => f.severity === 'information').length} hints (files in no build); ${deprecated.length} deprecated-api`);
  });
}

test('deprecated apiVersions in the corpora are found (flux2-multi-tenancy dev-team: HelmRelease v2beta1, HelmRepository v1beta1)', (t) => {
  if (!corporaPresent) {
    t.skip('../shared/corpora is absent');
    return;
  }
  const fleet = loadCorpus('flux2-multi-tenancy');
  const found = fleetDeprecatedApiFindings(fleet).map((f) => `${path.relative(CORPORA_DIR, f.file)} ${f.message.split(':')[0]}`).sort();
  assert.ok(found.includes('flux2-multi-tenancy-dev-team/base/podinfo-release.yaml HelmRelease helm.toolkit.fluxcd.io/v2beta1 is deprecated'), found.join('\n'));
  assert.ok(found.includes('flux2-multi-tenancy-dev-team/base/podinfo-repository.yaml HelmRepository source.toolkit.fluxcd.io/v1beta1 is deprecated'), found.join('\n'));
  assert.ok(found.includes('flux2-multi-tenancy/infrastructure/kyverno/source.yaml OCIRepository source.toolkit.fluxcd.io/v1beta2 is deprecated'), found.join('\n'));
});
