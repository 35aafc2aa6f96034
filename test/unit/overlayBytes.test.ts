// An overlay's bytes (what generators read of an edited file) are encoded once per text: every folder build that read
// the file compares them after an edit (a platform base's values file is read by each cluster's folder build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet } from '../helpers/fixture';

test("an overlay's bytes are encoded once per text, and follow the overlay", () => {
  const m = materialize(`//- platform/apps/kustomization.yaml
configMapGenerator:
  - name: web-values
    files:
      - values.yaml
//- platform/apps/values.yaml
replicaCount: 2
`);
  const fleet = loadFleet(m.dir);
  const values = m.file('platform/apps/values.yaml');
  const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
  fleet.setOverlay(values, 'replicaCount: 3\n');
  const first = fleet.readAuxBytes(values);
  assert.equal(text(first), 'replicaCount: 3\n');
  assert.equal(fleet.readAuxBytes(values), first, 'the same bytes, not encoded again');
  fleet.setOverlay(values, 'replicaCount: 4\n');
  assert.equal(text(fleet.readAuxBytes(values)), 'replicaCount: 4\n', 'a new text: its bytes');
  fleet.clearOverlay(values);
  assert.equal(text(fleet.readAuxBytes(values)), fs.readFileSync(values, 'utf8'), "the disk's bytes again");
});
