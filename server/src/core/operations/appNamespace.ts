// The namespace a new app's kustomization sets, decided by what the engine builds where the app goes, not copied
// from the neighbour: a neighbour's `namespace:` may be its own (gitops-template's ingress-nginx sits in kube-system
// because its base does; hello-world's base puts its App in the organization's namespace).
import type { Fleet } from '../model';
import type { Resource } from '../kustomize/types';
import { buildKustomization } from '../kustomize/build';
import { buildOptions } from '../evaluate/fluxBuild';
import { isClusterScopedObject } from '../kube/kinds';
import { everyContext } from './layout';

export interface AppNamespace {
  /** The value to write; undefined: write no `namespace:` (the base's objects keep theirs). */
  namespace?: string;
  /** Why, for the plan's notes. */
  why: string;
}

const namespaced = (r: Resource) => !isClusterScopedObject(typeof r.obj.apiVersion === 'string' ? r.obj.apiVersion : undefined, String(r.obj.kind ?? ''));
const nsOf = (r: Resource) => {
  const m = r.obj.metadata;
  const v = m && typeof m === 'object' && !Array.isArray(m) ? m.namespace : undefined;
  return typeof v === 'string' && v ? v : undefined;
};

/** The namespaces a base's namespaced objects have as kustomize builds the base alone ('' for one without). */
function baseNamespaces(fleet: Fleet, base: string): Set<string> {
  try {
    return new Set(buildKustomization(base, buildOptions(fleet)).resources.filter(namespaced).map((r) => nsOf(r) ?? ''));
  } catch {
    return new Set();
  }
}

/**
 * In order (the first that applies decides):
 * - the Flux Kustomizations that build the target list set `targetNamespace`: Flux puts every object there whatever
 *   the kustomization says, so that is the app's namespace (written, so the file says where it lands);
 * - the neighbour's namespace is its own name (an app per namespace): the new app's name;
 * - the neighbour's namespace is the one its base's objects already have (the kustomization restates its base's): the
 *   new app's objects keep their base's, so nothing is written (when the new base gives each of its namespaced objects
 *   one; otherwise the neighbour's namespace stays, with a note);
 * - else it is the namespace the target's apps share (a tenant's, a cluster's apps namespace): kept.
 */
export function appNamespace(fleet: Fleet, req: { listFile: string; neighbourName: string; neighbourNamespace: string; neighbourBase: string; base: string; name: string }): AppNamespace {
  const deploying = everyContext(fleet).filter((c) => (c.skeleton.read ?? []).includes(req.listFile));
  const targets = new Set(deploying.map((c) => c.skeleton.spec?.spec).map((s) => (s && typeof s === 'object' && !Array.isArray(s) && typeof s.targetNamespace === 'string' ? s.targetNamespace : '')));
  if (targets.size === 1 && !targets.has('')) {
    const [t] = targets;
    return { namespace: t, why: `${t}, the Kustomizations deploying it set it as targetNamespace` };
  }
  const ns = req.neighbourNamespace;
  if (ns === req.neighbourName) return { namespace: req.name, why: `${req.name}, its own namespace, like ${req.neighbourName}'s` };
  if (baseNamespaces(fleet, req.neighbourBase).has(ns)) {
    const mine = [...baseNamespaces(fleet, req.base)].filter((x) => x).sort();
    const restated = `${req.neighbourName}'s ${ns} is its base's`;
    if (mine.length === 1) return { namespace: mine[0], why: `${mine[0]}, its base's (${restated})` };
    if (mine.length > 1) return { why: `its base's objects keep theirs (${mine.join(', ')}; ${restated})` };
    return { namespace: ns, why: `${ns}, like ${req.neighbourName} (its base names no namespace; ${restated})` };
  }
  return { namespace: ns, why: `${ns}, the namespace the apps there share` };
}
