// Schema findings of the objects a ResourceSet generates: each rendered object validated like a document written in
// Git (the same catalogue, the same validators, the same messages), the finding on the template line that wrote the
// offending field and naming the input sets it holds in. The objects are the linker's expansion (the fleet's input
// providers and samples), so a template problem shows while the ResourceSet's file is edited.
import type { Fleet } from '../core/model';
import type { Links } from '../core/link/linker';
import type { SchemaFinding } from '../core/schemas/findings';
import type { Span } from '../core/text';
import { entryFor } from '../core/schemas/catalog';
import { schemaValidators } from '../core/schemas/validate';
import { escapeSegment } from '../core/kustomize/provenance';
import { inputSetLabel, nearestFieldSpan, type ResourceSetLink } from '../core/link/resourceSets';
import { issueMessage, platformDefaulted, schemaName } from './schemaDocuments';

/** Input sets named in one message; more are counted. */
const MAX_NAMED = 3;

/** The schema findings of what the ResourceSets of `file` generate. */
export function generatedSchemaFindings(fleet: Fleet, file: string, links: Links): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const link of links.resourceSets) if (link.fact.owner.file === file) out.push(...fleet.db.weak<ResourceSetLink, SchemaFinding[]>('generatedSchemaFindings').getOrMake(link, () => linkFindings(fleet, link)));
  return out;
}

function linkFindings(fleet: Fleet, link: ResourceSetLink): SchemaFinding[] {
  const x = link.expansion;
  const file = link.fact.owner.file;
  // One finding per place and problem, with the input sets it holds in.
  const found = new Map<string, { span: Span; severity: SchemaFinding['severity']; base: string; sets: string[] }>();
  for (const g of x.objects) {
    const apiVersion = typeof g.obj.apiVersion === 'string' ? g.obj.apiVersion : undefined;
    const kind = typeof g.obj.kind === 'string' ? g.obj.kind : undefined;
    const entry = entryFor(apiVersion, kind);
    if (!entry) continue;
    for (const issue of schemaValidators(fleet).validateValue(entry, g.obj).issues) {
      if (platformDefaulted(kind, issue)) continue;
      const pointer = issue.keyword === 'additionalProperties' && issue.property !== undefined ? `${issue.pointer}/${escapeSegment(issue.property)}` : issue.pointer;
      const at = nearestFieldSpan(link.source, g, pointer) ?? link.fact.span;
      // An unknown field: on its key, as for a document written in Git.
      const span = issue.keyword === 'additionalProperties' && issue.property !== undefined ? (keyOnLine(link.source.source?.text, at, issue.property) ?? at) : at;
      const base = issueMessage(issue, schemaName(kind, apiVersion));
      const key = `${span.start}:${span.end}\0${base}`;
      const seen = found.get(key) ?? { span, severity: issue.severity, base, sets: [] };
      const set = inputSetLabel(x, g.inputSet);
      if (!seen.sets.includes(set)) seen.sets.push(set);
      found.set(key, seen);
    }
  }
  return [...found.values()].map((f) => ({
    file,
    span: f.span,
    severity: f.severity,
    code: 'schema' as const,
    message: `${f.base} (${f.sets.slice(0, MAX_NAMED).join('; ')}${f.sets.length > MAX_NAMED ? `; … ${f.sets.length} input sets` : ''} of ResourceSet ${x.namespace}/${x.name})`,
  }));
}

/** The span of `key:` on the line of `at` (a template line holds the key before the value it rendered). */
function keyOnLine(text: string | undefined, at: Span, key: string): Span | undefined {
  if (!text) return undefined;
  const start = text.lastIndexOf('\n', at.start - 1) + 1;
  const i = text.slice(start, at.start + 1).indexOf(`${key}:`);
  return i < 0 ? undefined : { start: start + i, end: start + i + key.length };
}
