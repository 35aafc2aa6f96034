// Which copy of an object a reference means (link/resolver.ts findNear/preferNear): the one in the referrer's own
// repository, closest in its folder tree (every cluster folder has its own `flux-system` GitRepository). The answer is
// its folder's, so it is remembered per folder: the files of one folder place the copies once, and a file of another
// folder (a sibling whose name extends this one's, a subfolder) is answered for its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { Resolver, commonPrefix, commonPrefixWith } from '../../server/src/core/link/resolver';
import type { IndexedObject } from '../../server/src/core/link/objectIndex';
import type { Fleet } from '../../server/src/core/model';

const CLUSTERS = ['c1', 'c10', 'c2'];

const source = () => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/platform
`;

function fixture(): string {
  let out = `
//- platform/.flux-fleet.yaml
repositories:
  https://github.com/acme/platform: .
  https://github.com/acme/tenant: ../tenant
//- tenant/flux-system.yaml
${source()}
//- platform/shared/flux-system.yaml
${source()}
`;
  for (const c of CLUSTERS) {
    out += `
//- platform/clusters/${c}/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/platform
`;
    for (const f of ['apps.yaml', 'infra.yaml', 'more/tenants.yaml']) {
      out += `
//- platform/clusters/${c}/${f}
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${f.replace(/\W/g, '-')}
  namespace: flux-system
spec:
  path: ./clusters/${c}
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
    }
  }
  return out;
}

test("a Flux Kustomization's source is its own cluster folder's copy, placed once per folder", () => {
  const m = materialize(fixture());
  const placed: string[] = [];
  const original = Resolver.prototype.preferNear;
  Resolver.prototype.preferNear = function (this: Resolver, file: string, hits: IndexedObject[]) {
    if (hits.length > 1) placed.push(file);
    return original.call(this, file, hits);
  };
  let fleet: Fleet;
  try {
    fleet = loadFleet(m.dir);
    void fleet.links;
  } finally {
    Resolver.prototype.preferNear = original;
  }
  for (const c of CLUSTERS) {
    for (const f of ['apps.yaml', 'infra.yaml', 'more/tenants.yaml']) {
      const refs = fleet.links.refsByFile.get(m.file(`platform/clusters/${c}/${f}`)) ?? [];
      const sources = refs.filter((r) => r.object?.kind === 'GitRepository').map((r) => r.object!.owner.file);
      assert.deepEqual(sources, [m.file(`platform/clusters/${c}/flux-system/gotk-sync.yaml`)], `${c}/${f}`);
      // Those of its own repository, nearest first (by the folders shared), in the index's order within one depth.
      const file = m.file(`platform/clusters/${c}/${f}`);
      const all = fleet.links.objects.find(['GitRepository'], 'flux-system', 'flux-system');
      const expected = all
        .filter((o) => !o.fact.owner.file.includes('/tenant/'))
        .map((o, i) => ({ o, i, d: commonPrefix(file, o.fact.owner.file) }))
        .sort((a, b) => b.d - a.d || a.i - b.i)
        .map((x) => x.o.fact.owner.file);
      const near = fleet.links.findNear(file, ['GitRepository'], 'flux-system', 'flux-system');
      assert.deepEqual(near.map((o) => o.fact.owner.file), expected);
      assert.equal(near[0].fact.owner.file, m.file(`platform/clusters/${c}/flux-system/gotk-sync.yaml`));
      assert.equal(near.length, CLUSTERS.length + 1);
    }
  }
  // The link's own resolutions: once per folder (clusters/cN and clusters/cN/more), not once per file.
  const linking = placed.filter((f) => !f.includes('/flux-system/'));
  const folders = new Set(linking.map((f) => f.slice(0, f.lastIndexOf('/'))));
  assert.equal(folders.size, CLUSTERS.length * 2);
  assert.equal(linking.length, folders.size, `placed for ${linking.length} files of ${folders.size} folders`);
});

test('commonPrefix counts the folders two paths share (what makes the answer a folder’s)', () => {
  const a = '/r/platform/clusters/c1/apps.yaml';
  assert.equal(commonPrefix(a, '/r/platform/clusters/c1/flux-system/gotk-sync.yaml'), 5);
  assert.equal(commonPrefix(a, '/r/platform/clusters/c10/flux-system/gotk-sync.yaml'), 4);
  // Another file of the same folder gives the same count for every other path.
  for (const other of ['/r/platform/clusters/c1/apps.yaml.d/x.yaml', '/r/platform/clusters/c1/infra.yaml', '/r/platform/x', '/q/x']) {
    assert.equal(commonPrefix(a, other), commonPrefix('/r/platform/clusters/c1/zzz.yaml', other), other);
  }
});

test('commonPrefixWith answers as commonPrefix for every pair of paths', () => {
  const paths = ['/', '/a', '/a/', '/a/b', '/a/b/', '/a/bc/d.yaml', '/a/b/c.yaml', '/a/b/c.yaml/x', '/a/b/cd/e.yaml', '/ab/c', 'a/b', '', '/x/y/z/w.yaml', '/x/y/z', '//a'];
  for (const a of paths) {
    const prefixOf = commonPrefixWith(a);
    for (const b of paths) assert.equal(prefixOf(b), commonPrefix(a, b), `${JSON.stringify(a)} ${JSON.stringify(b)}`);
  }
});
