// A value hover after the whole fleet was evaluated builds nothing: each context's partial build takes its objects from
// the content of its whole build (fluxBuild.ts fromWholeContent), so contexts whose builds hold the same objects share
// one array (their answers are found once), and the answers equal a fresh fleet's, where every context builds its part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { clusterSync } from '../helpers/clusterSync';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { buildReaching } from '../../server/src/core/evaluate/reach';
import { effectiveValueHover } from '../../server/src/features/effectiveValues';
import type { Fleet } from '../../server/src/core/model';
import { sharedContentOf } from '../../server/src/core/evaluate/sharedContent';
import { QUERIES } from '../../server/src/db/queries';

const cluster = (name: string, env: string) => clusterSync(name, { env, cluster: name });

// Three clusters, two of them staging: the builds read only ${env} (within a string: the substitution's write is the
// string's, the same in both), so the staging clusters' whole builds hold one content.
const spec = `//- platform/.flux-fleet.yaml
repositories:
  https://github.com/shared-org/platform: .
${cluster('one', 'staging')}${cluster('two', 'staging')}${cluster('three', 'production')}//- platform/apps/kustomization.yaml
resources:
  - release.yaml
  - service.yaml
configMapGenerator:
  - name: web-values
    files:
      - values.yaml
generatorOptions:
  disableNameSuffixHash: true
//- platform/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
    - kind: ConfigMap
      name: web-values
      valuesKey: values.yaml
  values:
    env: web-\${env}
//- platform/apps/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
//- platform/apps/values.yaml
replicaCount: 2
image:
  tag: "1.4.0"
`;

function hovers(fleet: Fleet, file: string): string[] {
  const text = fleet.facts.get(file)!.text;
  const out: string[] = [];
  for (let offset = 0; offset < text.length; offset += 3) out.push(effectiveValueHover(fleet, file, offset)?.markdown ?? '');
  return out;
}

const counted = (fleet: Fleet, name: string) => fleet.db.counts.get(name) ?? 0;

test('after the whole evaluation a value hover builds nothing: contexts of one content share one array, answers equal a fresh fleet', () => {
  const m = materialize(spec);
  const fleet = loadFleet(m.dir);
  const contexts = allContexts(fleet, rootKustomizations(fleet)).filter((c) => c.id.chain.length === 2);
  assert.equal(contexts.length, 3, 'one apps context per cluster');
  for (const c of contexts) void c.build; // the whole evaluation (the server's background one)
  const values = m.file('platform/apps/values.yaml');
  const release = m.file('platform/apps/release.yaml');

  const built = counted(fleet, 'fluxBuild.built');
  const taken = counted(fleet, 'fluxBuild.fromWhole');
  const answers = [...hovers(fleet, values), ...hovers(fleet, release)];
  assert.equal(counted(fleet, 'fluxBuild.built'), built, 'no Flux build made for the hovers');
  assert.equal(counted(fleet, 'fluxBuild.fromWhole') - taken, 6, 'each context took its part of its whole content, once per file');

  const [one, two, three] = ['one', 'two', 'three'].map((n) => contexts.find((c) => c.id.root.endsWith(`clusters/${n}`))!);
  const part = (c: (typeof contexts)[number]) => buildReaching(fleet, c, release).resources;
  assert.equal(part(one), part(two), 'the staging clusters hold the same release: one array');
  assert.notEqual(part(one), part(three), 'production substitutes another env');
  assert.equal(part(one)[0], one.build.resources.find((r) => r.obj.kind === 'HelmRelease'), "the whole build's own object");

  assert.ok(answers.some((a) => a.includes('"1.4.0"')), 'the values file answers');
  assert.ok(answers.some((a) => a.includes('"web-production"')) && answers.some((a) => a.includes('"web-staging"')), 'per context');
  // A fresh fleet, nothing evaluated: every context builds its part.
  const cold = loadFleet(m.dir);
  const coldAnswers = [...hovers(cold, values), ...hovers(cold, release)];
  assert.ok(counted(cold, 'fluxBuild.built') > 0 && counted(cold, 'fluxBuild.fromWhole') === 0);
  assert.deepEqual(answers, coldAnswers);
});

test("whole contents are remembered in the db's one LRU policy: one bounded entry per context, a key and not the objects", () => {
  const m = materialize(spec);
  const fleet = loadFleet(m.dir);
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  for (const c of contexts) void c.build;
  const shared = contexts.filter((c) => sharedContentOf(fleet.db, c.build.resources) !== undefined);
  assert.ok(shared.length >= 3, 'the apps contexts hold shared contents');
  // A FIFO-capped Map per folder build output held the objects themselves, outside the LRU policy (and its statistics).
  assert.equal(fleet.db.stats().wholeContents.size, shared.length, 'one entry per context with a shared content');
  assert.ok(QUERIES.wholeContents.bound > 0 && QUERIES.contentByVariables.bound > 0, 'declared bounds');
  const { lru } = fleet.db.lru<string, unknown>('wholeContents');
  for (const key of lru.keys()) assert.equal(typeof lru.peek(key), 'string', 'a content key: the objects stay with their selection');
  // Dropped records cost a search, never an answer: the hovers equal a fresh fleet's.
  lru.reset();
  const release = m.file('platform/apps/release.yaml');
  assert.deepEqual(hovers(fleet, release), hovers(loadFleet(m.dir), release));
});

test('a hover searches for whole contents only where a whole build kept one: none before the whole evaluation, none after an edit patched the folder build', () => {
  const m = materialize(spec);
  const fleet = loadFleet(m.dir);
  const values = m.file('platform/apps/values.yaml');
  const searched = () => counted(fleet, 'fluxBuild.wholeContentSearched');
  const cold = hovers(fleet, values);
  // Each context had searched its folder build's whole selection (reading every object's variables) for nothing.
  assert.equal(searched(), 0, 'no whole build kept: no search');
  assert.ok(counted(fleet, 'fluxBuild.built') > 0, 'each context built its part');
  const contexts = allContexts(fleet, rootKustomizations(fleet)).filter((c) => c.id.chain.length === 2);
  for (const c of contexts) void c.build;
  const text = fleet.facts.get(values)!.text;
  fleet.setOverlay(values, text.replace('replicaCount: 2', 'replicaCount: 3'));
  const edited = hovers(fleet, values);
  assert.equal(searched(), 0, "the edit patched the folder build: the whole builds' contents are of its old output");
  assert.ok(edited.some((a) => a.includes('3')) && edited.join() !== cold.join(), 'the hover reads the edit');
  // Whole builds of the patched folder build keep their contents: a hover on another file takes its parts from them.
  for (const c of contexts) void c.build;
  const taken = counted(fleet, 'fluxBuild.fromWhole');
  const release = m.file('platform/apps/release.yaml');
  const fresh = loadFleet(m.dir);
  fresh.setOverlay(values, fleet.overlays.get(values)!);
  assert.deepEqual(hovers(fleet, release), hovers(fresh, release));
  assert.ok(searched() > 0 && counted(fleet, 'fluxBuild.fromWhole') > taken, 'found and taken once whole builds kept it');
});
