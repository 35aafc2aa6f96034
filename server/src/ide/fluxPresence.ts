// Whether the opened folders hold any Flux configuration at all: a user who opened the wrong folder (a chart, an app's
// source, the parent of every clone) gets one message saying what was looked for and how to point us at the fleet.
import type { Fleet } from '../core/model';

/** Flux's own APIs, the Flux Operator's and Giant Swarm's App platform: the kinds a fleet is made of. */
const FLUX_API = /(^|\.)(toolkit\.fluxcd\.io|fluxcd\.controlplane\.io|application\.giantswarm\.io)\//;

export function hasFluxConfiguration(fleet: Fleet): boolean {
  for (const facts of fleet.facts.values()) {
    if (facts.fluxKustomizations.length || facts.sources.length || facts.kustomize || facts.resourceSets?.length) return true;
    if (facts.objects.some((o) => FLUX_API.test(o.apiVersion))) return true;
  }
  return false;
}

/** The message for a workspace with none, with the fix. */
export function noFluxConfigurationMessage(folders: string[]): string {
  const where = folders.length ? folders.join(', ') : 'the workspace';
  return (
    `Flux Fleet found no Flux configuration in ${where}: no Flux Kustomization, source, HelmRelease or kustomization.yaml. ` +
    'Open the folder of your fleet repository (the one with clusters/ or a flux-system/ folder), or add the repositories it deploys ' +
    'with a .flux-fleet.yaml `repositories:` mapping or the fluxFleet.repositories setting.'
  );
}
