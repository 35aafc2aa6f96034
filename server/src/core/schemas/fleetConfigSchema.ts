// `.flux-fleet.yaml` against its own JSON Schema (schemas/flux-fleet.schema.json): what the per-section parsers of
// fleetConfig.ts cannot see — a key at the wrong place (a wrongly indented mapping lands at the top level and was
// silently ignored), a `repositories:` that is no map — reported at the key, as config-invalid. The sections' contents
// are the parsers' (one mistake, one finding). The same schema drives completion and hover in the file.
import Ajv, { type ValidateFunction } from 'ajv';
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Span } from '../text';
import type { JsonSchema } from './catalog';
import { closestName, describeError, displayPointer, withoutNulls } from './validate';
import { precompiledValidator } from './precompiled';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const FLEET_CONFIG_SCHEMA = require('../../../../schemas/flux-fleet.schema.json') as JsonSchema;

export interface SchemaProblem {
  span: Span;
  message: string;
}

function nodeAt(doc: Document, pointer: string): { node: unknown; keyOf: (name: string) => Node | undefined } {
  let node: unknown = doc.contents;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg)?.value;
    else if (isSeq(node)) node = node.items[Number(seg)];
    else break;
  }
  const keyOf = (name: string) => (isMap(node) ? (node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === name)?.key as Node | undefined) : undefined);
  return { node, keyOf };
}

const spanOf = (n: unknown): Span | undefined => {
  const r = (n as Node | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
};

/** Where precompiled.ts finds the schema's validator compiled when building (standalone.ts writes it there). */
export const FLEET_CONFIG_VALIDATOR_FILE = 'flux-fleet/flux-fleet.schema.json';

/** The Ajv that compiles the schema (at run time, or when building: `code.source`). The schema is ours and fixed, so
 *  Ajv's check of it against the meta-schema is skipped, and so is the meta-schema itself and the optimising pass over
 *  the generated code (it validates a file or two per discovery: the pass cost more than it saves). */
export function fleetConfigAjv(source = false): Ajv {
  return new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false, meta: false, code: { optimize: false, source } });
}

/** The compiled schema: one per discovery of a layout, made when first asked for. Not module-level: that would be
 *  process state. The one `npm run build` compiled (precompiled.ts) when there is one: compiling it here took ~25 ms
 *  of every load of a fleet (a CLI check, each rediscovery of the server's layout), more than validating its files;
 *  before a first build, the same schema compiled here, to the same code. */
export type FleetConfigValidator = () => ValidateFunction;
export function fleetConfigValidator(precompiled: (file: string) => ValidateFunction | undefined = precompiledValidator): FleetConfigValidator {
  let compiled: ValidateFunction | undefined;
  return () => (compiled ??= precompiled(FLEET_CONFIG_VALIDATOR_FILE) ?? fleetConfigAjv().compile(FLEET_CONFIG_SCHEMA));
}

/** `looksLikeMapping`: a key that would be a `repositories:` mapping (a URL, Kind/namespace/name). */
export function fleetConfigSchemaProblems(doc: Document, looksLikeMapping: (key: string) => boolean, validator: FleetConfigValidator = fleetConfigValidator()): SchemaProblem[] {
  if (doc.errors.length || doc.contents === null) return [];
  // `repositories:` left empty (its entries unindented below it) is null: the misplaced entries say it.
  const value = withoutNulls(doc.toJS({ maxAliasCount: 1000 }));
  const validate = validator();
  if (validate(value)) return [];
  const out: SchemaProblem[] = [];
  const fields = Object.keys(FLEET_CONFIG_SCHEMA.properties);
  for (const e of validate.errors ?? []) {
    const pointer = e.instancePath;
    const top = pointer === '';
    if (!top && pointer !== '/repositories') continue; // the sections' parsers report their contents
    const at = nodeAt(doc, pointer);
    if (e.keyword === 'additionalProperties' && top) {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const span = spanOf(at.keyOf(key)) ?? { start: 0, end: 0 };
      const hint = closestName(key, fields);
      const message = looksLikeMapping(key)
        ? `${key} is not a field of .flux-fleet.yaml: a source mapping belongs under repositories:, indented below it.`
        : `unknown field '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}: .flux-fleet.yaml has ${fields.join(', ')}; this one is ignored.`;
      out.push({ span, message });
      continue;
    }
    const described = describeError(e);
    const where = displayPointer(pointer);
    out.push({ span: spanOf(at.node) ?? spanOf(doc.contents) ?? { start: 0, end: 0 }, message: `${where ? where + ': ' : ''}${described.message} (.flux-fleet.yaml schema)` });
  }
  return out;
}
