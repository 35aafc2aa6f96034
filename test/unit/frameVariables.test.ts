// A Flux build's variables as layers (frameVariables.ts): what a Map filled definition by definition (substituteFrom in
// order, then substitute) would answer, without a Map of the frame's own; the substituteFrom objects' maps are shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameVariables, NO_VARIABLES } from '../../server/src/core/evaluate/frameVariables';
import type { VariableValue } from '../../server/src/core/evaluate/fluxBuild';
import { stepLayer } from '../../server/src/core/layer';

const value = (v: string, file: string): VariableValue => ({ value: v, from: { file, layer: stepLayer('flux:postBuild.substitute') } });

/** The Map (and the definitions of each name) that defining each layer's entries in turn makes: what Flux applies. */
function merged(sources: Array<Map<string, VariableValue>>, own: Array<[string, VariableValue]>) {
  const map = new Map<string, VariableValue>();
  const all = new Map<string, VariableValue[]>();
  for (const [k, v] of [...sources.flatMap((s) => [...s]), ...own]) {
    map.set(k, v);
    all.set(k, [...(all.get(k) ?? []), v]);
  }
  return { map, all };
}

test('FrameVariables: a Map filled definition by definition, in its order, with every definition of each name', () => {
  const cluster = new Map([['NAME', value('prod', 'cluster.yaml')], ['ENV', value('production', 'cluster.yaml')], ['REGION', value('eu', 'cluster.yaml')]]);
  const team = new Map([['TEAM', value('payments', 'team.yaml')], ['REGION', value('us', 'team.yaml')]]);
  const cases: Array<[Array<Map<string, VariableValue>>, Array<[string, VariableValue]>]> = [
    [[cluster], []],
    [[], [['ENV', value('dev', 'tenant.yaml')]]],
    [[cluster], [['ENV', value('dev', 'tenant.yaml')], ['EXTRA', value('x', 'tenant.yaml')]]],
    [[cluster, team], [['TEAM', value('checkout', 'tenant.yaml')]]],
    // The same object named twice: each naming is a definition.
    [[cluster, cluster], []],
  ];
  for (const [sources, own] of cases) {
    const vars = FrameVariables.of(sources, own.flat());
    const { map, all } = merged(sources, own);
    assert.deepEqual([...vars], [...map]);
    assert.deepEqual([...vars.keys()], [...map.keys()]);
    assert.deepEqual([...vars.values()], [...map.values()]);
    const seen: string[] = [];
    vars.forEach((v, k) => seen.push(`${k}=${v.value}`));
    assert.deepEqual(seen, [...map].map(([k, v]) => `${k}=${v.value}`));
    assert.equal(vars.size, map.size);
    for (const name of [...map.keys(), 'NOWHERE']) {
      assert.equal(vars.get(name), map.get(name));
      assert.equal(vars.has(name), map.has(name));
      assert.deepEqual(vars.definitions(name), all.get(name) ?? []);
    }
    // The sources are held as they are (the ConfigMaps' own maps, shared), not copied.
    assert.ok(sources.every((s, i) => vars.sources[i] === s));
  }
  // Nothing defined: the one empty set of all such frames.
  assert.equal(FrameVariables.of([], []), NO_VARIABLES);
  assert.equal(NO_VARIABLES.size, 0);
  assert.deepEqual([...NO_VARIABLES], []);
});
