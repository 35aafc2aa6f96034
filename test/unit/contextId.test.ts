// Context identities are values (core/evaluate/contextId.ts): a key for maps that finds the same context again, a
// label users read, and short labels for lists; nothing takes a key or a label apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import {
  childContextId,
  contextKey,
  contextLabel,
  contextLabels,
  contextMatches,
  contextShortLabel,
  deployerName,
  rootContextId,
  type ContextId,
} from '../../server/src/core/evaluate/contextId';
import * as ide from '../../server/src/ide/index';

const link = (s: string) => ({ namespace: s.split('/')[0], name: s.split('/')[1] });
const id = (root: string, ...chain: string[]): ContextId => chain.slice(1).reduce((acc, n) => childContextId(acc, link(n)), rootContextId(root, link(chain[0])));

test('a context id round-trips: its key finds the same context again, also in a fresh evaluation', () => {
  const dir = path.resolve(__dirname, '../fixtures/provided');
  const fleet = loadFleet(dir);
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  assert.ok(contexts.length > 3 && contexts.some((c) => c.id.chain.length > 2), 'the fixture has roots and nested contexts');
  const byKey = new Map(contexts.map((c) => [contextKey(c.id), c]));
  assert.equal(byKey.size, contexts.length, 'one key per context');
  const fresh = loadFleet(dir);
  const again = allContexts(fresh, rootKustomizations(fresh));
  assert.equal(again.length, contexts.length);
  for (const c of again) {
    const same = byKey.get(contextKey(c.id));
    assert.ok(same, `no context for ${contextLabel(c.id)}`);
    assert.deepEqual(same.id, c.id);
    assert.equal(same.fact.owner.file, c.fact.owner.file);
    assert.equal(same.fact.owner.doc, c.fact.owner.doc);
    assert.equal(contextLabel(same.id), contextLabel(c.id));
  }
  // The client pins a context by the key the listing gives; hovers compare it whole.
  const listed = ide.contexts(fleet);
  assert.deepEqual(listed.map((c) => c.id), contexts.map((c) => contextKey(c.id)));
  assert.deepEqual(listed.map((c) => c.label), contexts.map((c) => contextLabel(c.id)));
});

test('keys tell apart what labels could confuse; labels read as before', () => {
  const a = id('repo/clusters/prod', 'flux-system/flux-system', 'flux-system/apps');
  assert.equal(contextLabel(a), 'repo/clusters/prod: flux-system/flux-system > flux-system/apps');
  assert.equal(contextShortLabel(a), 'flux-system/apps (repo/clusters/prod)');
  assert.equal(deployerName(a), 'flux-system/apps');
  assert.equal(contextKey(a), contextKey(id('repo/clusters/prod', 'flux-system/flux-system', 'flux-system/apps')));
  // A folder holding the separators of a label is still another context.
  const odd = id('repo/clusters/prod: flux-system/flux-system > x', 'flux-system/apps');
  const plain = id('repo/clusters/prod', 'flux-system/flux-system', 'x/flux-system', 'flux-system/apps');
  assert.notEqual(contextKey(odd), contextKey(plain));
  assert.ok(contextMatches(a, 'flux-system/flux-system'));
  assert.ok(contextMatches(a, 'repo/clusters/prod'));
  assert.ok(!contextMatches(a, 'flux-system/other'));
});

test('context labels: the deploying Kustomization, with the root folder only where clusters share it', () => {
  const ids = [
    id('platform/clusters/prod', 'flux-system/flux-system', 'flux-system/tenant-a'),
    id('platform/clusters/staging', 'flux-system/flux-system', 'flux-system/tenant-a'),
    id('platform/clusters/prod', 'flux-system/flux-system', 'flux-system/infra'),
    id('other/clusters/prod', 'flux-system/flux-system', 'apps/web'),
    id('other/clusters/prod', 'flux-system/flux-system', 'flux-system/x', 'apps/web'),
    id('platform/clusters/prod', 'flux-system/flux-system'),
  ];
  const label = contextLabels(ids);
  assert.deepEqual(ids.map(label), [
    'prod › flux-system/tenant-a',
    'staging › flux-system/tenant-a',
    'flux-system/infra',
    'other/clusters/prod: flux-system/flux-system > apps/web',
    'other/clusters/prod: flux-system/flux-system > flux-system/x > apps/web',
    // A root goes by its whole label (every cluster's root is flux-system/flux-system).
    'platform/clusters/prod: flux-system/flux-system',
  ]);
  // An id built again (another object) has the same label.
  assert.equal(label(id('platform/clusters/prod', 'flux-system/flux-system', 'flux-system/infra')), 'flux-system/infra');
});
