// The cold index reads files in runs (core/model.ts loadSteps, NodeFileSystem.readFilesLimited): a run gives each file
// what reading it alone gives, stops once its texts reach the bound, and a file an editor opened while a run was being
// indexed is indexed with the editor's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { Fleet } from '../../server/src/core/model';
import { MAX_YAML_BYTES } from '../../server/src/core/indexFile';
import { materialize } from '../helpers/fixture';
import { tempDir } from '../helpers/tempDir';

test('readFilesLimited: each file of a run as readFileLimited reads it alone, whatever its bytes', () => {
  const dir = tempDir('ff-runs-');
  const files: Array<[string, Buffer]> = [
    ['ascii.yaml', Buffer.from('a: 1\nb: two\n')],
    ['empty.yaml', Buffer.alloc(0)],
    ['short.yaml', Buffer.from('a')],
    ['utf8.yaml', Buffer.from('a: "héllo 👋"\n')],
    ['bom.yaml', Buffer.from('\ufeffa: 1\n')],
    ['utf16.yaml', Buffer.from('\ufeffa: "grüß"\n', 'utf16le')],
    ['invalid.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x0a])],
    ['nul.yaml', Buffer.from('a: 1\n\u0000\n')],
    ['large.yaml', Buffer.from(`a: "${'x'.repeat(70 * 1024)}"\n`)],
    ['after.yaml', Buffer.from('kind: ConfigMap\n')],
  ];
  for (const [name, bytes] of files) fs.writeFileSync(path.join(dir, name), bytes);
  const paths = [...files.map(([name]) => path.join(dir, name)), path.join(dir, 'missing.yaml')];
  const nfs = new NodeFileSystem();
  for (const max of [MAX_YAML_BYTES, 40 * 1024]) {
    const run = nfs.readFilesLimited(paths, max, 1 << 20);
    assert.deepEqual(run, paths.map((p) => nfs.readFileLimited(p, max)));
  }
  // The texts of the run, read again, are still each file's (the run's buffer is reused, its strings are not).
  const again = nfs.readFilesLimited(paths.slice(0, 2), MAX_YAML_BYTES, 1 << 20);
  assert.deepEqual(again, paths.slice(0, 2).map((p) => nfs.readFileLimited(p, MAX_YAML_BYTES)));
  // A run stops after the file its texts reach the bound with.
  const bounded = nfs.readFilesLimited(paths, MAX_YAML_BYTES, 13);
  assert.deepEqual(bounded, paths.slice(0, 3).map((p) => nfs.readFileLimited(p, MAX_YAML_BYTES)));
});

test('a file an editor opens while its run is indexed is indexed with the editor text', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories: {}
//- repo/a.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: a }
//- repo/b.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: b }
//- repo/c.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: c }
`);
  const fleet = new Fleet(new NodeFileSystem(), { roots: [m.file('repo')] });
  const c = m.file('repo/c.yaml');
  const edited = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: edited }\n';
  // One file per batch: a yield after each file indexed, the run (all three files) read before the first.
  const steps = fleet.loadSteps(1);
  let indexed = 0;
  for (let r = steps.next(); !r.done; r = steps.next()) {
    indexed = fleet.facts.size;
    if (indexed === 1) fleet.overlays.set(c, edited);
  }
  assert.ok(indexed >= 1);
  assert.equal(fleet.facts.get(c)?.text, edited);
  assert.deepEqual(fleet.facts.get(c)?.objects.map((o) => o.name), ['edited']);
  assert.deepEqual(fleet.facts.get(m.file('repo/b.yaml'))?.objects.map((o) => o.name), ['b']);
});
