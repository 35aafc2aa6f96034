// A value hover after an edit rebuilds only what read the edited file: the builds of every other context are kept as
// they are (counted, not timed), and the answers still equal a from-scratch fleet's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixture, loadFleet } from '../helpers/fixture';
import { valueHovers } from '../helpers/valueHovers';
import { linkShape } from '../../server/src/core/linkShape';
import { locksAt } from '../../server/src/features/locks';
import { indexFile } from '../../server/src/core/indexFile';
import type { Fleet } from '../../server/src/core/model';



/** The evaluation work a function did: Flux builds (made or found in the memo) and folder builds. */
function work(fleet: Fleet, f: () => void): { fluxBuilds: number; folderBuilds: number } {
  const count = () => ({ flux: (fleet.db.counts.get('fluxBuild.built') ?? 0) + (fleet.db.counts.get('fluxBuild.reused') ?? 0), folder: fleet.db.counts.get('folderBuild.built') ?? 0 });
  const before = count();
  f();
  const after = count();
  return { fluxBuilds: after.flux - before.flux, folderBuilds: after.folder - before.folder };
}

function fresh(dir: string, overlays: Map<string, string>): Fleet {
  const f = loadFleet(dir);
  for (const [file, text] of overlays) f.setOverlay(file, text);
  return f;
}

test('a value hover after an edit elsewhere reuses every build; an edit it reads rebuilds; answers equal from scratch', () => {
  const dir = copyFixture('locks');
  const fleet = loadFleet(dir);
  const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
  const otherRelease = path.join(dir, 'tenant-b/apps/api.yaml');
  const otherConfigMap = path.join(dir, 'tenant-b/apps/web-values.yaml');
  const first = valueHovers(fleet, values, 5);
  assert.match(first, /Effective value/);
  assert.match(first, /1\.4\.0/);

  // 1. Typing a value in another tenant's release (same objects, names and references; only spans move).
  fleet.setOverlay(otherRelease, fs.readFileSync(otherRelease, 'utf8').replace('host: api.b.example', 'host: api-2.b.example'));
  void fleet.links; // the server re-links when typing pauses
  assert.ok(fleet.linkEpoch < fleet.version, 'a value edit keeps the link shape');
  let again = '';
  const elsewhere = work(fleet, () => (again = valueHovers(fleet, values, 5)));
  assert.deepEqual(elsewhere, { fluxBuilds: 0, folderBuilds: 0 }, 'nothing tenant-a reads changed: every context build is kept');
  assert.equal(again, first);
  assert.equal(again, valueHovers(fresh(dir, fleet.overlays), values, 5));

  // 2. Typing in the hovered file itself: what read it is rebuilt, and the answer says the new value.
  fleet.setOverlay(values, fs.readFileSync(values, 'utf8').replace('tag: 1.4.0', 'tag: 1.4.1'));
  let edited = '';
  const here = work(fleet, () => (edited = valueHovers(fleet, values, 5)));
  assert.ok(here.fluxBuilds > 0, `the builds that read values.yaml are made again: ${JSON.stringify(here)}`);
  assert.match(edited, /1\.4\.1/);
  assert.equal(edited, valueHovers(fresh(dir, fleet.overlays), values, 5));

  // 3. An edit that changes what the links answer (another tenant's ConfigMap renamed): every context is re-checked
  // (its builds found again by their inputs), no folder build tenant-a reads is made again.
  fleet.setOverlay(otherConfigMap, fs.readFileSync(otherConfigMap, 'utf8').replace('name: web-values', 'name: web-values-2'));
  void fleet.links;
  assert.equal(fleet.linkEpoch, fleet.version, 'a renamed object moves the link shape');
  let renamed = '';
  const relinked = work(fleet, () => (renamed = valueHovers(fleet, values, 5)));
  assert.ok(relinked.fluxBuilds > 0, 're-checked after a change of link shape');
  assert.equal(relinked.folderBuilds, 0);
  assert.equal(renamed, edited);
  assert.equal(renamed, valueHovers(fresh(dir, fleet.overlays), values, 5));
});

test('link shape: positions and values leave it, names and references change it', () => {
  const file = '/fleet/app/release.yaml';
  const text = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chart:\n    spec:\n      chart: web\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  values:\n    replicaCount: 1\n';
  const shape = (t: string) => linkShape(indexFile(file, t));
  assert.equal(shape(text.replace('replicaCount: 1', 'replicaCount: 12')), shape(text));
  assert.equal(shape('# a comment moves every span\n' + text), shape(text));
  assert.notEqual(shape(text.replace('name: web', 'name: api')), shape(text));
  assert.notEqual(shape(text.replace('name: charts', 'name: other')), shape(text));
});

test('lock hovers built only as far as the file reaches equal those on whole builds, in every file of the lock fixtures', () => {
  for (const name of ['locks', 'values', 'tenants']) {
    const dir = copyFixture(name);
    const fleet = loadFleet(dir);
    let answered = 0;
    for (const [file, facts] of fleet.facts) {
      for (let offset = 0; offset < facts.text.length; offset += 3) {
        const reached = locksAt(fleet, file, offset);
        assert.deepEqual(reached, locksAt(fleet, file, offset, false), `${name}: ${path.relative(dir, file)} at ${offset}`);
        if (reached.length) answered++;
      }
    }
    if (name === 'locks') assert.ok(answered > 20, `lock answers in the locks fixture: ${answered}`);
  }
});
