// What a ResourceSet would generate for input sets the tool cannot know offline (a GitHub, GitLab or OCI provider
// without `providerSamples:`): every template may render once per unknown input set, so the objects it names are
// made in the cluster, with the parts the inputs decide unknown. They join the provided index (providedObjects.ts)
// like an ExternalSecret's Secret: a reference to one is not missing, and leads to the ResourceSet.
import type { ProducedFact } from '../facts';
import type { Json, JsonObject } from '../kustomize/types';
import type { ResourceSetLink } from './resourceSets';

const isObject = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** A template's text as a glob: what an action renders is unknown (`*`); glob characters written literally kept as such. */
function glob(text: string): string {
  return text.replace(/<<.*?>>/gs, '*').replace(/\*+/g, '*');
}

const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, '$2');

/** Each object of a `resourcesTemplate`: its kind, name and namespace lines as written (templates, not YAML yet). */
function templateObjects(text: string): Array<{ kind?: string; name?: string; namespace?: string }> {
  return text.split(/^---[ \t]*$/m).map((doc) => {
    const kind = /^kind:[ \t]*(.+)$/m.exec(doc)?.[1];
    const meta = /^metadata:[ \t]*$/m.exec(doc);
    const block = meta ? doc.slice(meta.index + meta[0].length).split(/\n(?=\S)/)[0] : '';
    return { kind: kind && unquote(kind), name: /^[ \t]+name:[ \t]*(.+)$/m.exec(block)?.[1], namespace: /^[ \t]+namespace:[ \t]*(.+)$/m.exec(block)?.[1] };
  });
}

/** The objects a ResourceSet whose inputs are not all known offline may make, as produced facts. */
export function unknownInputObjects(link: ResourceSetLink): ProducedFact[] {
  const x = link.expansion;
  if (x.inputsKnown) return [];
  const spec = isObject(link.source.obj.spec) ? link.source.obj.spec : {};
  const holders = [spec, ...(Array.isArray(spec.steps) ? spec.steps.filter(isObject) : [])];
  const written: Array<{ kind?: string; name?: string; namespace?: string }> = [];
  for (const h of holders) {
    for (const item of Array.isArray(h.resources) ? h.resources : []) {
      if (!isObject(item)) continue;
      const meta = isObject(item.metadata) ? item.metadata : {};
      written.push({ kind: typeof item.kind === 'string' ? item.kind : undefined, name: typeof meta.name === 'string' ? meta.name : undefined, namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined });
    }
    if (typeof h.resourcesTemplate === 'string') written.push(...templateObjects(h.resourcesTemplate));
  }
  const unknown = x.providers.filter((p) => !p.known).map((p) => `${p.kind === 'ResourceSetInputProvider' ? '' : `${p.kind} `}${p.namespace ?? x.namespace}/${p.name}${p.type ? ` (${p.type})` : ''}`);
  const out: ProducedFact[] = [];
  for (const o of written) {
    if (!o.kind || !o.name || o.kind.includes('<<')) continue;
    out.push({
      owner: link.fact.owner,
      via: `for the input sets of ${unknown.join(', ') || 'its providers'}, unknown offline`,
      producer: { kind: 'ResourceSet', name: x.name, namespace: x.namespace, nameSpan: link.source.spans?.get('/metadata/name')?.value ?? link.fact.span },
      kinds: [o.kind],
      name: glob(unquote(o.name)),
      namespaces: [o.namespace ? glob(unquote(o.namespace)) : x.namespace],
      content: { type: 'opaque' },
    });
  }
  return out;
}
