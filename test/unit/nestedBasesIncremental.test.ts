// An includer holds its inner builds and their reads (evaluate/reads.ts readsAlong), not a copy of them: after edits of
// files only a base of a base reads (a manifest, a generator's data-only and hashed inputs), a nested base that fails and
// is fixed, and an editor's text, every context's objects, provenance, issues and read files equal a fresh load's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet } from '../helpers/fixture';
import { GIT, cluster } from '../helpers/impactFleets';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import type { Fleet } from '../../server/src/core/model';

function evaluation(fleet: Fleet): string {
  const out: string[] = [];
  for (const c of allContexts(fleet, rootKustomizations(fleet))) {
    const b = c.build;
    out.push(`## ${contextLabel(c.id)}`, JSON.stringify(b.issues.map((i) => [i.message, i.file])), JSON.stringify(b.read));
    for (const r of b.resources) out.push(JSON.stringify(r.obj), JSON.stringify([...r.prov]));
  }
  return out.join('\n');
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  k: v\n`;
const SPEC = `
//- .git/config
${GIT('https://github.com/acme/fleet')}
${cluster('prod')}
${cluster('stage')}
//- apps/prod/kustomization.yaml
resources:
  - ../base-a
  - ../base-b
//- apps/stage/kustomization.yaml
resources:
  - ../base-a
namePrefix: s-
//- apps/base-a/kustomization.yaml
resources:
  - ../base-c
  - a.yaml
//- apps/base-a/a.yaml
${cm('a')}
//- apps/base-b/kustomization.yaml
resources:
  - ../base-c
  - b.yaml
//- apps/base-b/b.yaml
${cm('b')}
//- apps/base-c/kustomization.yaml
resources:
  - c.yaml
configMapGenerator:
  - name: gen
    namespace: shop
    options: { disableNameSuffixHash: true }
    files:
      - data.txt
  - name: hashed
    namespace: shop
    files:
      - data2.txt
//- apps/base-c/c.yaml
${cm('c')}
//- apps/base-c/data.txt
one
//- apps/base-c/data2.txt
two
`;

test('edits read only by nested bases (and by a failing one) leave every context as a fresh load makes it', () => {
  const m = materialize(SPEC);
  const fleet = loadFleet(m.dir);
  const check = (step: string) => {
    const expected = loadFleet(m.dir);
    for (const [f, t] of fleet.overlays) expected.setOverlay(f, t);
    assert.equal(evaluation(fleet), evaluation(expected), step);
  };
  check('start');
  const edit = (rel: string, text: string | null, step: string) => {
    const f = m.file(rel);
    if (text === null) { fs.rmSync(f); fleet.fileDeleted(f); } else { fs.writeFileSync(f, text); fleet.fileChanged(f); }
    check(step);
  };
  edit('apps/base-c/data.txt', 'uno\n', 'data-only input of a nested base');
  edit('apps/base-c/data2.txt', 'dos\n', 'hashed input of a nested base');
  edit('apps/base-c/c.yaml', cm('c2'), 'manifest of a nested base');
  edit('apps/base-c/kustomization.yaml', 'resources:\n  - c.yaml\n  - missing.yaml\n', 'nested base fails');
  edit('apps/base-c/c.yaml', cm('c3'), 'manifest of a failing nested base');
  edit('apps/base-c/missing.yaml', cm('m'), 'the missing file created');
  edit('apps/base-c/missing.yaml', cm('m2'), 'it edited');
  edit('apps/base-c/kustomization.yaml', 'resources:\n  - c.yaml\n', 'nested base fixed');
  edit('apps/base-c/c.yaml', cm('c4'), 'manifest again');
  fleet.setOverlay(m.file('apps/base-c/c.yaml'), cm('c5'));
  check('overlay');
  edit('apps/base-a/a.yaml', cm('a2'), 'middle base');
  edit('apps/base-c/c.yaml', cm('c5'), 'disk same as overlay');
  fleet.clearOverlay(m.file('apps/base-c/c.yaml'));
  check('overlay closed');
});
