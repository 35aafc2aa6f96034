// A generator input that is an indexed YAML file whose bytes are its text's UTF-8 (no byte order mark, valid UTF-8)
// has its bytes encoded from the indexed text, not read from disk again (the synthetic fleet's builds read 978 such
// values files); any other input (a BOM, invalid UTF-8, a file the index does not read) is read from disk as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet } from '../helpers/fixture';

test("an indexed UTF-8 file's bytes come from its text; a BOM, invalid UTF-8 or an unindexed file from disk", () => {
  const m = materialize(`//- platform/apps/kustomization.yaml
configMapGenerator:
  - name: web-values
    files:
      - values.yaml
      - bom.yaml
      - bad.yaml
      - app.env
//- platform/apps/values.yaml
greeting: "héllo ✓"
//- platform/apps/app.env
A=1
`);
  const file = (rel: string) => m.file(`platform/apps/${rel}`);
  fs.writeFileSync(file('bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')]));
  fs.writeFileSync(file('bad.yaml'), Buffer.concat([Buffer.from('a: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
  const fleet = loadFleet(m.dir);
  const fromDisk = () => fleet.db.counts.get('auxBytes.fromDisk') ?? 0;
  const same = (rel: string) => assert.deepEqual(Buffer.from(fleet.readAuxBytes(file(rel))!), fs.readFileSync(file(rel)), rel);

  same('values.yaml');
  assert.equal(fromDisk(), 0, 'the indexed text encoded, no read from disk');
  assert.equal(fleet.readAuxBytes(file('values.yaml')), fleet.readAuxBytes(file('values.yaml')), 'kept');
  same('bom.yaml');
  assert.equal(fromDisk(), 1, 'a byte order mark: the disk');
  same('bad.yaml');
  assert.equal(fromDisk(), 2, 'invalid UTF-8: the disk');
  same('app.env');
  assert.equal(fromDisk(), 3, 'not indexed: the disk');

  // Changed on disk: the new text (indexed again) gives the new bytes.
  fs.writeFileSync(file('values.yaml'), 'greeting: "ciao"\n');
  fleet.fileChanged(file('values.yaml'));
  same('values.yaml');
  assert.equal(fromDisk(), 3);
});
