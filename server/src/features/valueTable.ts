// The effective-value hover as people read it: one short table per value (a field of the objects the cursor writes),
// a row per group of contexts where it ends the same: contexts → value → the layer and line that set it → what that
// overrode. Long lists fold (a hover on `namespace: default` may write into hundreds of objects); the full answer is
// the effective-values document, the same rendering without a limit.
import type { Fleet } from '../core/model';
import type { Json, Provenance } from '../core/kustomize/types';
import { contextKey, contextLabels, type ContextId } from '../core/evaluate/contextId';
import { isMasked, MASK } from '../core/redact';
import { layerLabel } from '../core/layer';
import { displayPath, lineOf } from './describe';
import type { ValueAnswer } from './effectiveValues';

export interface ValueTableLimits {
  /** Tables (values) shown; the rest are counted. */
  values: number;
  /** Rows (context groups) per table. */
  rows: number;
  /** Context names per row, object names per table header. */
  names: number;
}

export const HOVER_LIMITS: ValueTableLimits = { values: 3, rows: 4, names: 3 };
export const NO_LIMITS: ValueTableLimits = { values: Infinity, rows: Infinity, names: Infinity };

export interface ValueTables {
  markdown: string;
  /** Something was left out: the effective-values document shows it all. */
  folded: boolean;
}

interface Row {
  value: string;
  set: string;
  /** What the winning write overrode, per object (one table can hold many objects the same line wrote). */
  overrode: Set<string>;
  contexts: Map<string, ContextId>;
}

interface Table {
  field: string;
  owners: Set<string>;
  rows: Map<string, Row>;
}

/** A value already masked (core/redact.ts), said so when a secret was masked. */
export function showValue(v: Json, secret: boolean): string {
  if (secret && v === MASK) return `${MASK} (from a Secret, not shown)`;
  const s = JSON.stringify(v);
  const short = s.length > 60 ? s.slice(0, 57) + '…' : s;
  return secret ? `${short} (secret parts not shown)` : short;
}

/** `spec.values.replicaCount` from `/spec/values/replicaCount`; list indexes as `[0]`. */
export function fieldName(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : /^[\w-]+$/.test(seg) ? (out ? '.' : '') + seg : `[${JSON.stringify(seg)}]`;
  }
  return out || '(whole document)';
}

/**
 * An object's inline HelmRelease/App values answer twice: as the object's field `/spec/values/x` and as the values
 * layer `x` (with the chart's and valuesFrom's writes beneath). The values answer says more: the field one goes.
 */
function withoutShadowed(answers: ValueAnswer[], keyOf: (id: ContextId) => string): ValueAnswer[] {
  // Only a field answer under `/spec/values` can be shadowed (a hover on a values file has none).
  if (!answers.some((a) => a.pointer.startsWith('/spec/values/'))) return answers;
  const values = new Set(answers.filter((a) => a.owner.endsWith(' values')).map((a) => `${keyOf(a.context.id)}|${a.owner}|${a.pointer}`));
  return answers.filter((a) => {
    const m = /^\/spec\/values(\/.*)$/.exec(a.pointer);
    return !m || !values.has(`${keyOf(a.context.id)}|${a.owner} values|${m[1]}`);
  });
}

/** contextKey, made once per id (a context keeps its id object: a hover's answers name each of up to 60 contexts several times, hover after hover). */
function keysOnce(fleet: Fleet): (id: ContextId) => string {
  const keys = fleet.db.weak<ContextId, string>('contextKeys');
  return (id) => keys.getOrMake(id, () => contextKey(id));
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';

function folded<T>(xs: T[], limit: number, show: (x: T) => string): { text: string; more: number } {
  const shown = xs.slice(0, limit).map(show);
  const more = xs.length - shown.length;
  return { text: shown.join(', ') + (more > 0 ? `, +${more} more` : ''), more };
}

export function valueTables(fleet: Fleet, all: ValueAnswer[], options: { limits: ValueTableLimits; pinned?: boolean }): ValueTables {
  const keyOf = keysOnce(fleet);
  const answers = withoutShadowed(all, keyOf);
  // Answers of contexts with one content share their writes (effectiveValues.ts): each is rendered once.
  const paths = new Map<string, string>();
  const shown = (file: string) => {
    let d = paths.get(file);
    if (d === undefined) paths.set(file, (d = displayPath(fleet, file)));
    return d;
  };
  const where = (p: Provenance) => (p.span ? `${shown(p.file)}:${lineOf(fleet, p.file, p.span.start)}` : shown(p.file));
  const written = [new WeakMap<Provenance, string>(), new WeakMap<Provenance, string>()];
  const write = (w: Provenance & { value: Json }, withValue: boolean) => {
    const memo = written[withValue ? 1 : 0];
    let text = memo.get(w);
    if (text === undefined) memo.set(w, (text = `${withValue ? code(showValue(w.value, isMasked(w.value))) + ' ' : ''}${layerLabel(w.layer)} · ${code(where(w))}`));
    return text;
  };
  const fields = new Map<string, string>();
  const rendered = new WeakMap<object, { value: string; set: string; key: string; overrode: string }>();
  const tables = new Map<string, Table>();
  for (const a of answers) {
    const valuesLayer = a.owner.endsWith(' values');
    let name = fields.get(a.pointer);
    if (name === undefined) fields.set(a.pointer, (name = fieldName(a.pointer)));
    const field = (valuesLayer ? 'values.' : '') + name;
    const table = tables.get(field) ?? { field, owners: new Set(), rows: new Map() };
    tables.set(field, table);
    table.owners.add(valuesLayer ? a.owner.slice(0, -' values'.length) : a.owner);
    // One rendering per answer of a content (its stack is shared by the contexts of that content).
    let cells = rendered.get(a.stack);
    if (!cells) {
      const last = a.stack[a.stack.length - 1];
      const before = a.stack[a.stack.length - 2];
      const extra = a.stack.length > 2 ? ` (+${a.stack.length - 2} beneath)` : '';
      const value = code(showValue(a.value, a.secret));
      const set = last ? write(last, false) : '—';
      rendered.set(a.stack, (cells = { value, set, key: `${value}|${set}`, overrode: before ? write(before, true) + extra : '—' }));
    }
    const { value, set, key } = cells;
    const row = table.rows.get(key) ?? { value, set, overrode: new Set<string>(), contexts: new Map() };
    row.overrode.add(cells.overrode);
    row.contexts.set(keyOf(a.context.id), a.context.id);
    table.rows.set(key, row);
  }
  // One id per context: contextLabels keys them anyway (answers repeat a context per value and object).
  const ids = new Map(answers.map((a) => [keyOf(a.context.id), a.context.id]));
  const label = contextLabels(ids.values(), keyOf);
  const contexts = ids.size;
  const { limits } = options;
  let isFolded = false;
  const blocks = [`**Effective value** in ${contexts} context${contexts === 1 ? '' : 's'}${options.pinned ? ' (pinned)' : ''}`];
  const sorted = [...tables.values()].sort((a, b) => b.owners.size - a.owners.size || a.field.localeCompare(b.field));
  for (const table of sorted.slice(0, limits.values)) {
    const owners = folded([...table.owners].sort(), limits.names, (o) => o);
    isFolded ||= owners.more > 0;
    const lines = [`${code(table.field)} of ${owners.text}`, '', '| Contexts | Value | Set by | Overrode |', '| --- | --- | --- | --- |'];
    const rows = [...table.rows.values()].sort((a, b) => b.contexts.size - a.contexts.size);
    for (const row of rows.slice(0, limits.rows)) {
      const names = folded([...row.contexts.values()].map(label).sort(), limits.names, (n) => n);
      isFolded ||= names.more > 0;
      const overrode = folded([...row.overrode].sort(), limits.names === Infinity ? Infinity : 1, (o) => o);
      isFolded ||= overrode.more > 0;
      lines.push(`| ${cell(names.text)} | ${cell(row.value)} | ${cell(row.set)} | ${cell(overrode.text)} |`);
    }
    if (rows.length > limits.rows) {
      isFolded = true;
      const rest = rows.slice(limits.rows).reduce((n, r) => n + r.contexts.size, 0);
      lines.push('', `+${rows.length - limits.rows} more values in ${rest} context${rest === 1 ? '' : 's'}`);
    }
    blocks.push(lines.join('\n'));
  }
  if (sorted.length > limits.values) {
    isFolded = true;
    blocks.push(`+${sorted.length - limits.values} more fields written here`);
  }
  // Blank lines between blocks: a header never runs into the table or list above it.
  return { markdown: blocks.join('\n\n'), folded: isFolded };
}
