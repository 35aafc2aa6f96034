// What a folder is in its source's artifact (db artifactFolders: there or not, its own kustomization or the one Flux
// generates) and what a source's filter decides (its answers per path) are kept per filter: a fleet that is
// edited (overlays set and cleared, files and kustomizations created and deleted, .sourceignore files typed) must
// build every context as a fresh fleet of the same files does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixture, loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { fleetSnapshot } from '../../server/src/core/snapshot';
import type { Fleet } from '../../server/src/core/model';

/** Every context's build: its resources (with provenance) and issues, as one comparable string. */
function builds(fleet: Fleet): string {
  const out: string[] = [];
  for (const c of allContexts(fleet, rootKustomizations(fleet))) {
    const b = c.build;
    out.push(`## ${contextLabel(c.id)} ${b.missingPath ?? ''} ${b.folder ?? ''}`, JSON.stringify(b.issues));
    for (const r of b.resources) out.push(JSON.stringify(r.obj), JSON.stringify([...r.prov]));
  }
  return out.join('\n');
}

function fresh(dir: string, overlays: ReadonlyMap<string, string>): Fleet {
  const f = loadFleet(dir);
  for (const [file, text] of overlays) f.setOverlay(file, text);
  return f;
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: flux-system\ndata:\n  k: v\n`;

test("a folder's place in its artifact follows overlays, created and deleted kustomizations and .sourceignore edits", () => {
  const dir = copyFixture('values');
  const fleet = loadFleet(dir);
  const prod = path.join(dir, 'platform/clusters/prod');
  const app = path.join(dir, 'tenant/app');
  const steps: string[] = [];
  const check = (step: string, has?: string, hasNot?: string) => {
    const now = builds(fleet);
    const expected = fresh(dir, fleet.overlays);
    assert.equal(now, builds(expected), step);
    assert.equal(fleetSnapshot(fleet), fleetSnapshot(expected), `${step}: snapshot`);
    if (has) assert.ok(now.includes(has), `${step}: builds hold ${has}`);
    if (hasNot) assert.ok(!now.includes(hasNot), `${step}: builds do not hold ${hasNot}`);
    steps.push(step);
  };
  check('loaded', '"name":"cluster-vars"');

  // 1. A manifest typed into a new file (an overlay, not on disk) of a folder Flux generates a kustomization for.
  const typed = path.join(prod, 'typed.yaml');
  fleet.setOverlay(typed, configMap('typed'));
  check('new file as an overlay', '"name":"typed"');
  fleet.clearOverlay(typed);
  check('overlay of a new file cleared', undefined, '"name":"typed"');

  // 2. The folder gets a kustomization of its own (typed, then saved), which lists only some files; then it goes.
  const own = path.join(prod, 'kustomization.yaml');
  const ownText = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - vars.yaml\n  - flux-system/sync.yaml\n';
  fleet.setOverlay(own, ownText);
  check('own kustomization typed', '"name":"cluster-vars"', '> flux-system/tenant');
  fs.writeFileSync(own, ownText);
  fleet.fileChanged(own);
  fleet.clearOverlay(own);
  check('own kustomization saved', '"name":"cluster-vars"', '> flux-system/tenant');
  fs.rmSync(own);
  fleet.fileDeleted(own);
  check('own kustomization deleted: generated again', '> flux-system/tenant');

  // 3. A subfolder with manifests, listed file by file in the generated kustomization, then as one entry once it has
  //    a kustomization of its own (listing one of them).
  const extras = path.join(prod, 'extras');
  fs.mkdirSync(extras);
  fs.writeFileSync(path.join(extras, 'a.yaml'), configMap('extra-a'));
  fs.writeFileSync(path.join(extras, 'b.yaml'), configMap('extra-b'));
  fleet.fileChanged(extras);
  check('subfolder created', '"name":"extra-b"');
  const sub = path.join(extras, 'kustomization.yaml');
  fs.writeFileSync(sub, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n');
  fleet.fileChanged(sub);
  check("subfolder's kustomization created", '"name":"extra-a"', '"name":"extra-b"');
  fs.renameSync(path.join(extras, 'b.yaml'), path.join(extras, 'c.yaml'));
  fleet.fileDeleted(path.join(extras, 'b.yaml'));
  fleet.fileChanged(path.join(extras, 'c.yaml'));
  check('a file of the subfolder renamed');
  fs.rmSync(sub);
  fleet.fileDeleted(sub);
  check("subfolder's kustomization deleted", '"name":"extra-b"');

  // 4. The platform's .sourceignore, on disk and typed: a file, then the subfolder, then a kustomization left out.
  const ignore = path.join(dir, 'platform/.sourceignore');
  fs.writeFileSync(ignore, '# nothing yet\n');
  fleet.fileChanged(ignore);
  check('.sourceignore created', '"name":"extra-a"');
  fleet.setOverlay(ignore, 'clusters/prod/extras/a.yaml\n');
  check('.sourceignore typed: one file out', '"name":"extra-b"', '"name":"extra-a"');
  fleet.setOverlay(ignore, 'extras/\n');
  check('.sourceignore typed: the subfolder out', '"name":"cluster-vars"', '"name":"extra-b"');
  fleet.clearOverlay(ignore);
  check('.sourceignore overlay cleared', '"name":"extra-a"');
  fs.writeFileSync(sub, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n');
  fleet.fileChanged(sub);
  fs.writeFileSync(ignore, 'clusters/prod/extras/kustomization.yaml\n');
  fleet.fileChanged(ignore);
  check("the subfolder's kustomization left out of the artifact: walked as files", '"name":"extra-b"');

  // A nested .sourceignore (patterns relative to its folder, a negation after a wider pattern), typed then saved.
  const nested = path.join(extras, '.sourceignore');
  fs.writeFileSync(ignore, '# nothing\n');
  fleet.fileChanged(ignore);
  fs.rmSync(sub);
  fleet.fileDeleted(sub);
  fs.writeFileSync(nested, '');
  fleet.fileChanged(nested);
  fleet.setOverlay(nested, '*.yaml\n!a.yaml\n');
  check('nested .sourceignore typed: all but one file out', '"name":"extra-a"', '"name":"extra-b"');
  fs.writeFileSync(nested, '*.yaml\n');
  fleet.fileChanged(nested);
  fleet.clearOverlay(nested);
  check('nested .sourceignore saved: the folder empty', '"name":"cluster-vars"', '"name":"extra-a"');
  fs.rmSync(nested);
  fleet.fileDeleted(nested);
  check('nested .sourceignore deleted', '"name":"extra-b"');

  // 5. The tenant's own kustomization left out by its source's .sourceignore (typed): Flux generates one instead.
  const tenantIgnore = path.join(dir, 'tenant/.sourceignore');
  fleet.setOverlay(tenantIgnore, 'app/kustomization.yaml\n');
  fs.writeFileSync(tenantIgnore, '');
  fleet.fileChanged(tenantIgnore);
  check("tenant's kustomization left out");
  fleet.clearOverlay(tenantIgnore);
  check("tenant's kustomization back");
  fleet.setOverlay(tenantIgnore, 'app/\n');
  check("tenant's folder left out: a missing path");
  assert.ok([...allContexts(fleet, rootKustomizations(fleet))].some((c) => c.build.missingPath === './app'), 'the tenant path is missing from its artifact');
  fleet.clearOverlay(tenantIgnore);
  fs.rmSync(tenantIgnore);
  fleet.fileDeleted(tenantIgnore);

  // 6. Everything back: the first builds again.
  fs.rmSync(extras, { recursive: true });
  fleet.fileDeleted(extras);
  fs.rmSync(ignore);
  fleet.fileDeleted(ignore);
  check('reverted', '> flux-system/tenant', '"name":"extra-a"');
  assert.equal(builds(fleet), builds(loadFleet(dir)));
  assert.ok(fs.existsSync(app));
  assert.equal(steps.length, 22);
});

test('the repository of every file and folder, kept per folder, follows repositories that come and go', () => {
  const dir = copyFixture('fleet');
  const fleet = loadFleet(dir);
  const repos = (f: Fleet) => {
    const paths = [...f.tree.allDirs(), ...f.tree.allFiles(), path.join(dir, 'tenant-c/apps/new/cm.yaml'), path.join(dir, 'tenant-c/apps'), path.join(dir, 'tenant-a/deep/er/x.yaml')].sort();
    return paths.map((p) => `${path.relative(dir, p)} -> ${f.repositoryOf(p)?.root ?? '-'}`).join('\n');
  };
  const check = (step: string) => assert.equal(repos(fleet), repos(loadFleet(dir)), step);
  check('loaded');
  // A clone appears (a folder with `.git`): the answers kept for its folders (the outer repository's) go.
  const clone = path.join(dir, 'tenant-c');
  fs.mkdirSync(path.join(clone, '.git'), { recursive: true });
  fs.mkdirSync(path.join(clone, 'apps/new'), { recursive: true });
  fs.writeFileSync(path.join(clone, 'apps/new/cm.yaml'), configMap('c'));
  fleet.fileChanged(clone);
  assert.equal(fleet.repositoryOf(path.join(clone, 'apps/new/cm.yaml'))?.root, clone);
  check('clone created');
  fs.rmSync(clone, { recursive: true });
  fleet.fileDeleted(clone);
  assert.notEqual(fleet.repositoryOf(path.join(clone, 'apps/new/cm.yaml'))?.root, clone);
  check('clone deleted');
  // A repository stops being one (its configuration file deleted, no `.git`).
  const config = path.join(dir, 'tenant-a/.flux-fleet.yaml');
  fs.rmSync(config);
  fleet.fileDeleted(config);
  check('configuration deleted');
});
