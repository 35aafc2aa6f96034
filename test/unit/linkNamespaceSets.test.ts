// The linker's namespace sets (link/linker.ts namespacesOf): one set per distinct content, shared by every object
// indexed with those namespaces (the object index keeps one per object of the fleet: a set each was most of what the
// first link of a whole check left for scavenges to copy). Sharing must not change an answer: each object's set is
// the one namespacesOf gives for its file and declared namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';

for (const fixture of ['fleet', 'tenants', 'flux-additions']) {
  test(`namespace sets of the indexed objects are shared by content, and each is namespacesOf's answer (${fixture})`, () => {
    const fleet = loadFleet(path.resolve(__dirname, '../fixtures', fixture));
    const links = fleet.links;
    const byContent = new Map<string, ReadonlySet<string | undefined>>();
    let objects = 0;
    for (const o of links.objects.all) {
      if (o.fact.generatedBy) continue; // a ResourceSet's objects: the namespace it renders
      objects++;
      const content = JSON.stringify([...o.namespaces]);
      const first = byContent.get(content);
      if (first) assert.equal(o.namespaces, first, `${o.fact.kind} ${o.fact.name}: one set for ${content}`);
      else byContent.set(content, o.namespaces);
      const kind = o.fact.generated ? undefined : o.fact.kind;
      assert.deepEqual([...links.namespacesOf(o.fact.owner.file, o.fact.namespace, kind)], [...o.namespaces], `${o.fact.kind} ${o.fact.name}`);
    }
    assert.ok(objects > byContent.size, `${objects} objects, ${byContent.size} distinct sets`);
  });
}
