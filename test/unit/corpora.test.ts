// Real public fleets (../shared/corpora, absent on a fresh clone: skipped with a note).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORPORA, corporaPresent, loadCorpus, CORPORA_DIR } from '../helpers/corpora';
import { fleetTree, renderTree } from '../../server/src/features/fleetTree';
import { evaluationFindings } from '../../server/src/core/evaluate/valueFindings';

for (const name of Object.keys(CORPORA)) {
  test(`corpus ${name}: no error, and every Flux Kustomization path resolves to a folder`, (t) => {
    if (!corporaPresent) {
      t.skip(`${CORPORA_DIR} is absent (a fresh clone has no ../shared): corpus checks skipped`);
      return;
    }
    const fleet = loadCorpus(name);
    const errors = fleet.links.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((e) => `${e.code} ${e.file}: ${e.message}`), []);
    const notMapped = new Set(fleet.links.findings.filter((f) => f.code === 'source-not-mapped').map((f) => `${f.file}:${f.span.start}`));
    let resolved = 0;
    for (const [fk, variants] of fleet.links.flux) {
      for (const v of variants) {
        if (v.folder) {
          resolved++;
          continue;
        }
        // Only sources outside the corpus (e.g. an OCI artifact of a vendor) may stay unresolved, and they say so.
        const at = `${fk.owner.file}:${(v.override?.sourceRef?.ref ?? fk.sourceRef)?.span.start}`;
        assert.ok(notMapped.has(at), `${fk.owner.file} path ${v.path.value} is unresolved without a source-not-mapped finding`);
      }
    }
    assert.ok(resolved > 0);
  });
}

test('corpus flux2-multi-tenancy: the dev-team tenant follows the per-environment patch onto the dev-team branch', (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const fleet = loadCorpus('flux2-multi-tenancy');
  const tree = renderTree(fleetTree(fleet));
  assert.match(tree, /path \.\/staging \(patched in flux2-multi-tenancy\/tenants\/staging\/dev-team-patch\.yaml\)\s+→ flux2-multi-tenancy-dev-team\/staging/);
  assert.match(tree, /path \.\/production \(patched in flux2-multi-tenancy\/tenants\/production\/dev-team-patch\.yaml\)\s+→ flux2-multi-tenancy-dev-team\/production/);
});

test('corpus flux2-kustomize-helm-example: ExternalArtifact paths follow the ArtifactGenerator copy rules', (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const fleet = loadCorpus('flux2-kustomize-helm-example');
  const folders = [...fleet.links.flux.values()].flat().map((r) => r.folder!.slice(CORPORA_DIR.length + 1)).sort();
  assert.deepEqual(folders, [
    'flux2-kustomize-helm-example/apps/production',
    'flux2-kustomize-helm-example/apps/staging',
    'flux2-kustomize-helm-example/infrastructure/configs',
    'flux2-kustomize-helm-example/infrastructure/configs',
    'flux2-kustomize-helm-example/infrastructure/controllers',
    'flux2-kustomize-helm-example/infrastructure/controllers',
  ]);
});

test('corpora: evaluated builds find only the real bugs (gitops-template uses ${workload_cluster_name}, never defined)', (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const rows: string[] = [];
  for (const name of Object.keys(CORPORA)) {
    const fleet = loadCorpus(name);
    for (const f of evaluationFindings(fleet, { strictSubstitution: true })) {
      if (f.severity === 'error' || f.severity === 'warning') rows.push(`${f.code} ${f.file.slice(CORPORA_DIR.length + 1)}`);
    }
  }
  const wc = 'gitops-template/management-clusters/MC_NAME/organizations/ORG_NAME/workload-clusters';
  assert.deepEqual(rows.sort(), [
    `undefined-variable ${wc}/WC_NAME_OUT_OF_BAND_FLUX_APP/mapi/apps/hello-world-automatic-updates/appcr.yaml`,
    `undefined-variable ${wc}/WC_NAME_OUT_OF_BAND_NO_FLUX_APP/mapi/apps/hello-world-automatic-updates/appcr.yaml`,
  ]);
});
