// Hover on a key (`interval:`, `prune:`, `resources:`): what the field is, from the schema the document's
// apiVersion/kind selects (Flux kinds, Giant Swarm's, kustomization files; a deprecated version borrows the current
// one's). Plain keys of Helm values have no schema: no answer.
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import { loadSchema } from '../core/schemas/catalog';
import { defaultOf, descriptionOf, enumValues, schemasAt, type PathSegment } from '../core/schemas/navigate';
import { mapGet, scalarText, spanOf } from '../core/yamlAccess';
import { isFleetConfigFile, schemaEntry, typeLabel } from './completion';
import { FLEET_CONFIG_SCHEMA } from '../core/schemas/fleetConfigSchema';
import { CONFIG_FILE_NAME } from '../core/fleetConfig';

/** The key under `offset` and its YAML path (the key included), in the document that holds it. */
export function keyAt(root: Node, offset: number): { path: PathSegment[]; span: Span } | undefined {
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (let depth = 0; depth < 256; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = spanOf(p.key as Node);
        const v = spanOf(p.value as Node);
        return (k && offset >= k.start && offset <= k.end) || (v && offset >= v.start && offset <= v.end);
      });
      if (!pair || !isPair(pair) || !isScalar(pair.key)) return undefined;
      const key = String(pair.key.value);
      path.push(key);
      const k = spanOf(pair.key as Node)!;
      if (offset >= k.start && offset <= k.end) return { path, span: k };
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => {
        const s = spanOf(item as Node);
        return s && offset >= s.start && offset <= s.end;
      });
      if (i < 0) return undefined;
      path.push(i);
      node = node.items[i];
    } else return undefined;
  }
  return undefined;
}

export function keyHover(fleet: Fleet, file: string, offset: number): { span: Span; markdown: string } | undefined {
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text;
  if (text === undefined) return undefined;
  const doc = fleet.parse(file, text).docs.find((d) => {
    const r = d.range;
    return r && offset >= r[0] && offset <= r[2];
  });
  const root = doc?.contents as Node | null | undefined;
  if (!root || !isMap(root)) return undefined;
  const at = keyAt(root, offset);
  if (!at) return undefined;
  const apiVersion = scalarText(mapGet(root, 'apiVersion'));
  const kind = scalarText(mapGet(root, 'kind'));
  const fleetConfig = isFleetConfigFile(file);
  const entry = fleetConfig ? undefined : schemaEntry(file, apiVersion, kind);
  const schema = fleetConfig ? FLEET_CONFIG_SCHEMA : entry && loadSchema(entry.file);
  if (!schema) return undefined;
  const schemas = schemasAt(schema, at.path);
  if (!schemas.length) return undefined;
  const description = descriptionOf(schemas);
  const values = enumValues(schemas).filter((v) => v === null || typeof v !== 'object');
  const def = defaultOf(schemas);
  const name = at.path.filter((s) => typeof s === 'string').join('.');
  const lines = [`**${name}** · ${typeLabel(schemas)} — ${entry ? `${entry.kind} \`${entry.apiVersion}\`` : CONFIG_FILE_NAME}`];
  if (description) lines.push('', description);
  if (values.length) lines.push('', `Values: ${values.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (def !== undefined) lines.push('', `Default: \`${JSON.stringify(def)}\``);
  return { span: at.span, markdown: lines.join('\n') };
}
