// Provenance layers are data (core/layer.ts): every step the engine writes renders as the label users read in
// hovers, the CLI and finding messages; code decides by the step, never by the label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appConfigLayer,
  APP_STEPS,
  OPERATOR_STEPS,
  resourceSetLayer,
  extraConfigLayer,
  FLUX_STEPS,
  HELM_STEPS,
  inlineValuesLayer,
  KUSTOMIZE_STEPS,
  layerLabel,
  stepLayer,
  substituteFromLayer,
  valuesFromLayer,
  writingStep,
  type Layer,
  type LayerStep,
} from '../../server/src/core/layer';
import { writeKind } from '../../server/src/core/locks/check';

/** Per step (a Record over the union: a step added to the engine without a case here does not compile). */
const LABELS: Record<LayerStep, Array<[Layer, string]>> = {
  resource: [[stepLayer('resource'), 'resource']],
  configMapGenerator: [[stepLayer('configMapGenerator'), 'configMapGenerator']],
  secretGenerator: [[stepLayer('secretGenerator'), 'secretGenerator']],
  patchesStrategicMerge: [[stepLayer('patchesStrategicMerge'), 'patchesStrategicMerge']],
  patches: [[stepLayer('patches'), 'patches']],
  namespace: [[stepLayer('namespace'), 'namespace']],
  namePrefix: [[stepLayer('namePrefix'), 'namePrefix']],
  nameSuffix: [[stepLayer('nameSuffix'), 'nameSuffix']],
  commonLabels: [[stepLayer('commonLabels'), 'commonLabels']],
  labels: [[stepLayer('labels'), 'labels']],
  commonAnnotations: [[stepLayer('commonAnnotations'), 'commonAnnotations']],
  patchesJson6902: [[stepLayer('patchesJson6902'), 'patchesJson6902']],
  replicas: [[stepLayer('replicas'), 'replicas']],
  images: [[stepLayer('images'), 'images']],
  replacements: [[stepLayer('replacements'), 'replacements']],
  hash: [[stepLayer('hash'), 'hash']],
  nameReference: [[stepLayer('nameReference'), 'nameReference']],
  flux: [[stepLayer('flux'), 'flux']],
  'flux:patches': [[stepLayer('flux:patches'), 'flux:patches']],
  'flux:images': [[stepLayer('flux:images'), 'flux:images']],
  'flux:targetNamespace': [[stepLayer('flux:targetNamespace'), 'flux:targetNamespace']],
  'flux:namePrefix': [[stepLayer('flux:namePrefix'), 'flux:namePrefix']],
  'flux:nameSuffix': [[stepLayer('flux:nameSuffix'), 'flux:nameSuffix']],
  'flux:postBuild': [[stepLayer('flux:postBuild'), 'flux:postBuild']],
  'flux:postBuild.substitute': [[stepLayer('flux:postBuild.substitute'), 'flux:postBuild.substitute']],
  'flux:postBuild.substituteFrom': [
    [substituteFromLayer('ConfigMap', 'cluster-vars'), 'flux:postBuild.substituteFrom ConfigMap cluster-vars'],
    [substituteFromLayer('Secret', 'cluster-secrets'), 'flux:postBuild.substituteFrom Secret cluster-secrets'],
  ],
  'chart-defaults': [[stepLayer('chart-defaults'), 'chart-defaults']],
  valuesFrom: [
    [valuesFromLayer(0, 'ConfigMap', 'web-values'), 'valuesFrom[0] ConfigMap web-values'],
    [valuesFromLayer(2, 'Secret', 'web-auth', 'auth.yaml'), 'valuesFrom[2] Secret web-auth (auth.yaml)'],
  ],
  'spec.values': [
    [inlineValuesLayer(stepLayer('resource')), 'spec.values'],
    [inlineValuesLayer(stepLayer('patches')), 'spec.values (patches)'],
    [inlineValuesLayer(stepLayer('flux:patches')), 'spec.values (flux:patches)'],
    [inlineValuesLayer(stepLayer('flux:postBuild')), 'spec.values (flux:postBuild)'],
  ],
  catalog: [[appConfigLayer('catalog', 'ConfigMap'), 'catalog ConfigMap']],
  config: [
    [appConfigLayer('config', 'ConfigMap'), 'config ConfigMap'],
    [appConfigLayer('config', 'Secret'), 'config Secret'],
  ],
  userConfig: [[appConfigLayer('userConfig', 'ConfigMap'), 'userConfig ConfigMap']],
  ResourceSet: [[resourceSetLayer('flux-system', 'apps', 'input set 1a2b (tenant: team-a)'), 'ResourceSet flux-system/apps, input set 1a2b (tenant: team-a)']],
  extraConfigs: [
    [extraConfigLayer(0, 'ConfigMap', 10), 'extraConfigs[0] ConfigMap (priority 10)'],
    [extraConfigLayer(5, 'Secret', 150), 'extraConfigs[5] Secret (priority 150)'],
  ],
};

test('every step the engine writes renders as the label users read today', () => {
  const steps = [...KUSTOMIZE_STEPS, ...FLUX_STEPS, ...HELM_STEPS, ...APP_STEPS, ...OPERATOR_STEPS];
  assert.equal(new Set(steps).size, steps.length, 'a step is listed twice');
  assert.deepEqual(Object.keys(LABELS).sort(), [...steps].sort());
  for (const [step, cases] of Object.entries(LABELS)) {
    for (const [layer, label] of cases) {
      assert.equal(layer.step, step);
      assert.equal(layerLabel(layer), label);
    }
  }
});

test('a step without details is one shared layer, frozen (writes hold it as they held a string)', () => {
  assert.equal(stepLayer('patches'), stepLayer('patches'));
  assert.ok(Object.isFrozen(stepLayer('patches')));
});

test('an inline value within a plain step is one shared layer per step, frozen; within a detailed layer, its own', () => {
  for (const step of [...KUSTOMIZE_STEPS, ...FLUX_STEPS]) {
    const inline = inlineValuesLayer(stepLayer(step));
    assert.equal(inlineValuesLayer(stepLayer(step)), inline, step);
    assert.ok(Object.isFrozen(inline), step);
    assert.deepEqual(inline, { step: 'spec.values', within: stepLayer(step) });
  }
  const from = substituteFromLayer('ConfigMap', 'vars');
  assert.deepEqual(inlineValuesLayer(from), { step: 'spec.values', within: from });
  assert.equal(layerLabel(inlineValuesLayer(from)), layerLabel({ step: 'spec.values', within: from }));
  assert.notEqual(inlineValuesLayer(from), inlineValuesLayer(from));
});

test('an inline value keeps the step that wrote it in the release: decisions read that step, not the label', () => {
  assert.equal(writingStep(inlineValuesLayer(stepLayer('flux:patches'))), 'flux:patches');
  assert.equal(writingStep(inlineValuesLayer(stepLayer('resource'))), 'resource');
  assert.equal(writingStep(valuesFromLayer(0, 'ConfigMap', 'v')), 'valuesFrom');
  const w = (layer: Layer) => writeKind({ file: '/f.yaml', layer });
  assert.equal(w(inlineValuesLayer(stepLayer('patchesJson6902'))), 'patch');
  assert.equal(w(inlineValuesLayer(stepLayer('resource'))), 'resource');
  assert.equal(w(stepLayer('flux:patches')), 'patch');
  assert.equal(w(stepLayer('flux:postBuild')), 'variable');
  assert.equal(w(valuesFromLayer(1, 'Secret', 's', 'k')), 'values');
  assert.equal(w(extraConfigLayer(0, 'ConfigMap', 10)), 'values');
  assert.equal(w(appConfigLayer('catalog', 'ConfigMap')), 'values');
  assert.equal(w(stepLayer('chart-defaults')), 'values');
  // The label read back with /^config/ took a generated ConfigMap for an App's config layer.
  assert.equal(w(stepLayer('configMapGenerator')), 'other');
  assert.equal(w(inlineValuesLayer(stepLayer('configMapGenerator'))), 'other');
  assert.equal(w(stepLayer('images')), 'other');
});
