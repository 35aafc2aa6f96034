// A Flux build's frame (its source, folder, variables: fluxBuild.ts) outlives an edit of a file only its folder build
// reads (counted: no frame made again), and is made again when a file it read changed (a variable source); every
// build and lock answer equals a from-scratch fleet's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixture, loadFleet } from '../helpers/fixture';
import { locksAt } from '../../server/src/features/locks';
import { contextsWriting } from '../../server/src/core/locks/check';
import type { Fleet } from '../../server/src/core/model';
import type { Context } from '../../server/src/core/evaluate/contexts';
import { definitionsOf } from '../../server/src/core/evaluate/fluxBuild';

function fresh(dir: string, overlays: Map<string, string>): Fleet {
  const f = loadFleet(dir);
  for (const [file, text] of overlays) f.setOverlay(file, text);
  return f;
}

function edit(fleet: Fleet, file: string, from: string, to: string): void {
  const text = fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), from);
  fleet.setOverlay(file, text.replace(from, to));
  void fleet.links;
}

/** What the contexts writing `file` build (variables with where each was defined, resources) and the lock answers at `needle`. */
function observed(fleet: Fleet, file: string, needle: string, alsoBuilding?: string): string {
  const builds = [...contextsWriting(fleet, file), ...(alsoBuilding ? contextsWriting(fleet, alsoBuilding) : [])].map((ctx) => ({
    id: ctx.id,
    definitions: [...ctx.build.variables.keys()].map((k) => [k, definitionsOf(ctx.build, k).map((v) => [v.value, v.from.file, v.from.span?.start])]),
    resources: ctx.build.resources.map((r) => r.obj),
    issues: ctx.build.issues.map((i) => i.message),
  }));
  const text = fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8');
  return JSON.stringify({ builds, answers: locksAt(fleet, file, text.indexOf(needle) + 1) });
}

function frames(fleet: Fleet): { made: number; kept: number } {
  return { made: fleet.db.counts.get('fluxFrame.made') ?? 0, kept: fleet.db.counts.get('fluxFrame.kept') ?? 0 };
}

/** A copy of the locks fixture whose staging root substitutes from `kind` `name`, with `file` (under platform/vars/) written. */
function stagingRootSubstitutingFrom(kind: string, name: string, file: string, text: string): { dir: string; file: string } {
  const dir = copyFixture('locks');
  const at = path.join(dir, 'platform/vars', file);
  fs.mkdirSync(path.dirname(at));
  fs.writeFileSync(at, text);
  const sync = path.join(dir, 'platform/clusters/staging/flux-system/sync.yaml');
  fs.writeFileSync(sync, fs.readFileSync(sync, 'utf8') + `  postBuild:\n    substituteFrom:\n      - kind: ${kind}\n        name: ${name}\n`);
  return { dir, file: at };
}

test('a Flux build frame is kept after an edit its folder build reads, made again after one of its variable sources', () => {
  // The staging root substitutes from a ConfigMap kept outside what it builds.
  const { dir, file: vars } = stagingRootSubstitutingFrom('ConfigMap', 'root-vars', 'root-vars.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: root-vars\n  namespace: flux-system\ndata:\n  region: eu\n');
  const tenants = path.join(dir, 'platform/clusters/staging/tenants.yaml');
  const fleet = loadFleet(dir);
  const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
  const needle = 'docker.io/tenant-a';
  assert.ok(observed(fleet, values, needle, tenants).includes('"eu"'), 'the root defines region');
  const first = frames(fleet);
  assert.ok(first.made > 0);

  // 1. The hovered values file (a generator input of the folder build): the frames are kept, the builds are new.
  edit(fleet, values, 'registry: docker.io/tenant-a', 'registry: docker.io/tenant-a2');
  const afterValues = observed(fleet, values, needle, tenants);
  const kept = frames(fleet);
  assert.equal(kept.made, first.made, 'no frame made again');
  assert.ok(kept.kept > first.kept, 'frames kept');
  assert.ok(afterValues.includes('docker.io/tenant-a2'));
  assert.equal(afterValues, observed(fresh(dir, fleet.overlays), values, needle, tenants), 'as from scratch');

  // 2. A ConfigMap a root's substituteFrom reads (outside its build: the root context and its spec stay the same
  // objects): that frame is made again, with the new definition.
  edit(fleet, vars, 'region: eu', 'region: eu-2');
  assert.ok(fleet.linkEpoch < fleet.version, 'a value edit keeps the link shape');
  const afterVars = observed(fleet, values, needle, tenants);
  assert.ok(frames(fleet).made > kept.made, 'frames made again');
  assert.ok(afterVars.includes('"eu-2"'), afterVars);
  assert.equal(afterVars, observed(fresh(dir, fleet.overlays), values, needle, tenants), 'as from scratch');

  // 3. The Kustomization's own file (its spec): made again, as from scratch.
  const made = frames(fleet).made;
  edit(fleet, path.join(dir, 'tenant-a/deploy/apps.yaml'), 'team: a', 'team: a2');
  const afterSpec = observed(fleet, values, needle);
  assert.ok(frames(fleet).made > made, 'frames made again');
  assert.ok(afterSpec.includes('"a2"'), afterSpec);
  assert.equal(afterSpec, observed(fresh(dir, fleet.overlays), values, needle), 'as from scratch');
});

test('a kept frame names a cluster-made variable source where it is now (its producer\'s lines moved)', () => {
  // The staging root substitutes from a Secret an ExternalSecret makes in the cluster (opaque: named by its producer's place).
  const { dir, file: producer } = stagingRootSubstitutingFrom('Secret', 'root-env', 'root-secret.yaml', 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: root-secret\n  namespace: flux-system\nspec:\n  secretStoreRef:\n    kind: ClusterSecretStore\n    name: vault\n  target:\n    name: root-env\n  dataFrom:\n    - extract:\n        key: root/env\n');
  const fleet = loadFleet(dir);
  const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
  // The root's build says it (the tenants' contexts below it are asked first, as a hover asks them).
  const opaque = (f: Fleet) => {
    const out: unknown[] = [];
    for (let ctx: Context | undefined = contextsWriting(f, values).find((c) => c.id.root.includes('staging')); ctx; ctx = ctx.parent) out.push([ctx.id, ctx.build.opaqueSources]);
    return JSON.stringify(out);
  };
  const before = opaque(fleet);
  assert.ok(before.includes('root-secret.yaml:'), before);
  edit(fleet, values, 'registry: docker.io/tenant-a', 'registry: docker.io/tenant-a2');
  assert.equal(opaque(fleet), before);
  // Two comment lines above the producer: the link shape is the same, its place in the description is not.
  edit(fleet, producer, 'apiVersion: external-secrets.io/v1\n', '# moved\n# down\napiVersion: external-secrets.io/v1\n');
  assert.ok(fleet.linkEpoch < fleet.version, 'a comment keeps the link shape');
  const after = opaque(fleet);
  assert.notEqual(after, before);
  assert.equal(after, opaque(fresh(dir, fleet.overlays)), 'as from scratch');
});
