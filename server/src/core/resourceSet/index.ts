// Flux Operator ResourceSets, expanded offline exactly as the operator does (see expand.ts).
export { expandResourceSet, objectKey, type ExpandOptions, type GeneratedObject, type InputReference, type ProviderUse, type ResourceSetExpansion } from './expand';
export { inputId, normalizeName, type InputOrigin, type InputSet, type ProviderRef, type ProviderSamples } from './inputs';
export { readDocuments, sourced, type SourcedObject, type YamlSource } from './source';
export { operatorFuncs, slugify, toYaml } from './functions';
export { inputValues, referenceAt, type InputValue } from './query';
