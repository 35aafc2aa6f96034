// The steps that write a built value (Provenance.layer) and how they are shown. A layer is data: code asks for its
// step; only layerLabel renders it (hovers, the CLI, finding messages, JSON output), and nothing reads a label back
// (test/unit/boundaries.test.ts holds this).

/** kustomize's steps: a resource document as loaded, generators, transformers, and what a build adds at its root. */
export const KUSTOMIZE_STEPS = [
  'resource',
  'configMapGenerator',
  'secretGenerator',
  'patchesStrategicMerge',
  'patches',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesJson6902',
  'replicas',
  'images',
  'replacements',
  'hash',
  'nameReference',
] as const;

/** What kustomize-controller adds to a Flux Kustomization's build (`flux`: the spec itself, before any field of it). */
export const FLUX_STEPS = [
  'flux',
  'flux:patches',
  'flux:images',
  'flux:targetNamespace',
  'flux:namePrefix',
  'flux:nameSuffix',
  'flux:postBuild',
  'flux:postBuild.substitute',
  'flux:postBuild.substituteFrom',
] as const;

/** HelmRelease values: the chart's values.yaml < valuesFrom[i] < spec.values. */
export const HELM_STEPS = ['chart-defaults', 'valuesFrom', 'spec.values'] as const;

/** Giant Swarm App values: catalog < extraConfigs / config / userConfig by priority. */
export const APP_STEPS = ['catalog', 'config', 'extraConfigs', 'userConfig'] as const;

/** What the Flux Operator writes: an object a ResourceSet renders from its template for one input set. */
export const OPERATOR_STEPS = ['ResourceSet'] as const;

export type KustomizeStep = (typeof KUSTOMIZE_STEPS)[number];
export type FluxStep = (typeof FLUX_STEPS)[number];
export type HelmStep = (typeof HELM_STEPS)[number];
export type AppStep = (typeof APP_STEPS)[number];
export type OperatorStep = (typeof OPERATOR_STEPS)[number];
/** Every step the engine writes a value in. */
export type LayerStep = KustomizeStep | FluxStep | HelmStep | AppStep | OperatorStep;

export interface Layer {
  readonly step: LayerStep;
  /**
   * What the step read, shown after it (display only; nothing compares it): a valuesFrom entry's `ConfigMap web
   * (values.yaml)`, a substituteFrom's `ConfigMap vars`, an App layer's `Secret`, an extraConfig's
   * `ConfigMap (priority 10)`.
   */
  readonly detail?: string;
  /** The list entry of a valuesFrom or extraConfigs step. */
  readonly index?: number;
  /** spec.values: the step that wrote the inline value in the HelmRelease's own build. */
  readonly within?: Layer;
}

/** One shared, frozen layer per step without details (a write holds a reference, as it held a string before). */
const PLAIN: Readonly<Record<LayerStep, Layer>> = Object.freeze(
  Object.fromEntries([...KUSTOMIZE_STEPS, ...FLUX_STEPS, ...HELM_STEPS, ...APP_STEPS, ...OPERATOR_STEPS].map((step) => [step, Object.freeze({ step })])) as Record<LayerStep, Layer>,
);

/** The layer of a step with nothing more to say. */
export function stepLayer(step: LayerStep): Layer {
  return PLAIN[step];
}

/** `valuesFrom[i] Kind name`, with ` (key)` when the entry names a valuesKey. */
export function valuesFromLayer(index: number, kind: string, name: string, valuesKey?: string): Layer {
  return { step: 'valuesFrom', index, detail: `${kind} ${name}${valuesKey !== undefined ? ` (${valuesKey})` : ''}` };
}

/** An App's own config reference (catalog, config, userConfig) of a ConfigMap or Secret. */
export function appConfigLayer(step: 'catalog' | 'config' | 'userConfig', kind: 'ConfigMap' | 'Secret'): Layer {
  return { step, detail: kind };
}

/** An App's `extraConfigs[i]` entry. */
export function extraConfigLayer(index: number, kind: 'ConfigMap' | 'Secret', priority: number): Layer {
  return { step: 'extraConfigs', index, detail: `${kind} (priority ${priority})` };
}

/** The ConfigMap or Secret a `postBuild.substituteFrom` variable comes from. */
export function substituteFromLayer(kind: string, name: string): Layer {
  return { step: 'flux:postBuild.substituteFrom', detail: `${kind} ${name}` };
}

/** A value a ResourceSet's template rendered: `ResourceSet flux-system/apps, input set 1a2b (tenant: team-a)`. */
export function resourceSetLayer(namespace: string, name: string, inputSet: string): Layer {
  return { step: 'ResourceSet', detail: `${namespace}/${name}, ${inputSet}` };
}

/** The inline-values layer of each step's plain layer, one shared and frozen (as PLAIN): an inline value's layer is
 *  made for every leaf of every HelmRelease's values in every context (5,000 in a whole check of the synthetic fleet,
 *  kept with the effective values), and nearly always within a plain step (a resource, flux:postBuild). */
const INLINE_OF_PLAIN: Readonly<Record<LayerStep, Layer>> = Object.freeze(
  Object.fromEntries(Object.values(PLAIN).map((within) => [within.step, Object.freeze({ step: 'spec.values', within })])) as Record<LayerStep, Layer>,
);

/** An inline HelmRelease value, written in the release's build by `within`. */
export function inlineValuesLayer(within: Layer): Layer {
  return within === PLAIN[within.step] ? INLINE_OF_PLAIN[within.step] : { step: 'spec.values', within };
}

/**
 * The step that wrote the text a write points at: an inline value's own step (a patch, a resource document), any
 * other layer's step.
 */
export function writingStep(layer: Layer): LayerStep {
  return layer.step === 'spec.values' ? (layer.within?.step ?? 'resource') : layer.step;
}

/** The steps that patch a resource: kustomize's three and Flux's spec.patches. */
export function isPatchStep(step: LayerStep): boolean {
  return isKustomizePatchStep(step) || step === 'flux:patches';
}

/** A write Flux makes on top of the folder's kustomize build (every `flux:` step). */
export function isFluxStep(step: LayerStep): step is FluxStep {
  return step !== 'flux' && (FLUX_STEPS as readonly string[]).includes(step);
}

/** kustomize's own patch steps (not Flux's spec.patches). */
export function isKustomizePatchStep(step: LayerStep): boolean {
  return step === 'patches' || step === 'patchesStrategicMerge' || step === 'patchesJson6902';
}

/** A HelmRelease or App values layer other than the release's own inline values. */
export function isValuesSourceStep(step: LayerStep): boolean {
  return step === 'chart-defaults' || step === 'valuesFrom' || (APP_STEPS as readonly string[]).includes(step);
}

/** The layer as users read it: `patches`, `flux:postBuild`, `valuesFrom[0] ConfigMap web (values.yaml)`, `spec.values (patches)`. */
export function layerLabel(layer: Layer): string {
  switch (layer.step) {
    case 'spec.values':
      return layer.within && layer.within.step !== 'resource' ? `spec.values (${layerLabel(layer.within)})` : 'spec.values';
    case 'valuesFrom':
    case 'extraConfigs':
      return `${layer.step}[${layer.index ?? 0}]${layer.detail ? ` ${layer.detail}` : ''}`;
    default:
      return layer.detail ? `${layer.step} ${layer.detail}` : layer.step;
  }
}
