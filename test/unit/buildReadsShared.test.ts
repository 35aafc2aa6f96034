// The contexts of one folder build (every cluster deploying a tenant's folder) share the list of files it read: each
// of their Flux builds — whole, skeleton, a hover's partial ones — had kept a copy of its own, a tenth of the heap the
// soak (scripts/soak.ts) grew by. The list is still what the build read, and a change of one of those files still
// makes the builds again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { clusterSync } from '../helpers/clusterSync';
import { allContexts, evaluatorOf } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';

const cluster = (name: string) => clusterSync(name, { cluster: name });

const spec = `//- platform/.flux-fleet.yaml
repositories:
  https://github.com/shared-org/platform: .
${cluster('one')}${cluster('two')}//- platform/apps/kustomization.yaml
resources:
  - web.yaml
configMapGenerator:
  - name: web-values
    files:
      - values.yaml
//- platform/apps/web.yaml
apiVersion: v1
kind: Service
metadata:
  name: web-\${cluster}
//- platform/apps/values.yaml
host: web.\${cluster}.example
`;

test('the Flux builds of one folder build share the list of files it read', () => {
  const m = materialize(spec);
  const fleet = loadFleet(m.dir);
  const apps = allContexts(fleet, rootKustomizations(fleet)).filter((c) => c.fact.owner.file.endsWith('sync.yaml') && c.id.chain.length === 2);
  assert.equal(apps.length, 2, 'one apps context per cluster');
  const [one, two] = apps.map((c) => c.build);
  assert.notEqual(one, two, 'each cluster substitutes its own variables');
  assert.deepEqual(one.resources.map((r) => (r.obj.metadata as { name: string }).name).sort(), ['web-one', 'web-values-gk2bfdcc7h']);
  assert.deepEqual([...one.read!].sort(), [m.file('platform/apps/kustomization.yaml'), m.file('platform/apps/values.yaml'), m.file('platform/apps/web.yaml')].sort());
  assert.equal(one.read, two.read, 'one list for both');
  assert.equal(apps[0].skeleton.read, one.read, 'and for the skeleton');
  // A file the list holds still makes the builds again when it changes.
  const web = m.file('platform/apps/web.yaml');
  fleet.setOverlay(web, fleet.facts.get(web)!.text.replace('web-${cluster}', 'site-${cluster}'));
  const again = evaluatorOf(fleet).chainContexts([[apps[0].parent!.fact, apps[0].fact]]);
  assert.deepEqual(again[0].build.resources.map((r) => (r.obj.metadata as { name: string }).name).sort(), ['site-one', 'web-values-gk2bfdcc7h']);
});
