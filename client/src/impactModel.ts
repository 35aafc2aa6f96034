// The Fleet Impact view's content as plain data (no `vscode` here, so it is unit-tested): clusters → contexts →
// dangers and objects → fields, with counts, danger flags and where a click leads. client/src/impactView.ts only
// turns these nodes into TreeItems.
import type { ContextImpactWire, DangerWire, FieldChangeWire, FleetImpactWire, ImpactCauseWire, ObjectChangeWire, ObjectRefWire } from '../../server/src/lsp/impactProtocol';

/** Codicon names (https://code.visualstudio.com/api/references/icons-in-labels) and the theme colour they take. */
export type Icon = { id: string; color?: 'error' | 'warning' | 'added' | 'removed' | 'modified' };

export interface ImpactNode {
  kind: 'cluster' | 'context' | 'danger' | 'object' | 'field';
  /** Stable among refreshes (the tree keeps what was expanded). */
  id: string;
  label: string;
  description?: string;
  tooltip: string;
  icon: Icon;
  children: ImpactNode[];
  /** Clicking opens this place (a field's cause, an object's origin, a danger's line). */
  open?: ImpactCauseWire;
  /** For a context: the key `fluxFleet/renderedPair` takes, and the names of the diff editor's title. */
  context?: { key: string; name: string; baseline: string };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `3 clusters, 12 objects, 1 deletion` — the status bar's words (deletions only when there are some). */
export function summaryText(impact: FleetImpactWire): string {
  if (impact.contexts.length === 0) return 'no changes';
  const clusters = new Set(impact.contexts.map((c) => c.cluster)).size;
  const parts = [plural(clusters, 'cluster'), plural(impact.totals.objects, 'object')];
  if (impact.totals.deletions > 0) parts.push(plural(impact.totals.deletions, 'deletion'));
  return parts.join(', ');
}

/** The most severe danger of the impact, if any (the status bar's colour). */
export function worstSeverity(impact: FleetImpactWire): DangerWire['severity'] | undefined {
  const order: Array<DangerWire['severity']> = ['error', 'warning', 'info'];
  return order.find((s) => impact.dangers.some((d) => d.severity === s));
}

export function objectName(o: ObjectRefWire): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

const sameObject = (a: ObjectRefWire, b: ObjectRefWire) => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '') && a.apiVersion.split('/')[0] === b.apiVersion.split('/')[0];

/** A value as one short line (objects and long strings cut). */
export function shortValue(v: unknown): string {
  if (v === undefined) return '∅';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

const SEVERITY_ICON: Record<DangerWire['severity'], Icon> = { error: { id: 'error', color: 'error' }, warning: { id: 'warning', color: 'warning' }, info: { id: 'info' } };
const STATUS_ICON: Record<ObjectChangeWire['status'], Icon> = { added: { id: 'diff-added', color: 'added' }, removed: { id: 'diff-removed', color: 'removed' }, changed: { id: 'diff-modified', color: 'modified' } };

function fieldNode(parent: string, f: FieldChangeWire): ImpactNode {
  const change = f.old === undefined ? `+ ${shortValue(f.new)}` : f.new === undefined ? `− ${shortValue(f.old)}` : `${shortValue(f.old)} → ${shortValue(f.new)}`;
  return {
    kind: 'field',
    id: `${parent}|${f.path}`,
    label: f.path,
    description: f.cause?.layer ? `${change} · ${f.cause.layer}` : change,
    tooltip: [`${f.path}`, `old: ${shortValue(f.old)}`, `new: ${shortValue(f.new)}`, f.cause?.layer ? `layer: ${f.cause.layer}` : '', f.cause ? `cause: ${f.cause.uri}${f.cause.range ? `:${f.cause.range.start.line + 1}` : ''}${f.cause.baseline ? ' (baseline)' : ''}` : ''].filter(Boolean).join('\n'),
    icon: { id: 'symbol-field' },
    children: [],
    open: f.cause,
  };
}

function objectNode(parent: string, o: ObjectChangeWire, dangers: DangerWire[]): ImpactNode {
  const id = `${parent}|${o.apiVersion}|${objectName(o)}`;
  const flagged = dangers.filter((d) => d.objects.some((x) => sameObject(x, o)));
  const worst = flagged.find((d) => d.severity === 'error') ?? flagged.find((d) => d.severity === 'warning');
  const what = o.status === 'changed' ? plural(o.fields.length, 'field') : o.status;
  return {
    kind: 'object',
    id,
    label: objectName(o),
    description: flagged.length ? `${what} · ${flagged.map((d) => d.code).join(', ')}` : what,
    tooltip: [`${o.apiVersion} ${objectName(o)}: ${o.status}`, ...flagged.map((d) => `${d.severity}: ${d.message}`)].join('\n'),
    icon: worst ? SEVERITY_ICON[worst.severity] : STATUS_ICON[o.status],
    children: o.fields.map((f) => fieldNode(id, f)),
    open: o.origin,
  };
}

function dangerNode(parent: string, d: DangerWire, i: number): ImpactNode {
  return {
    kind: 'danger',
    id: `${parent}|danger|${d.code}|${i}`,
    label: d.message,
    description: d.code,
    tooltip: [d.message, ...d.objects.map(objectName)].join('\n'),
    icon: SEVERITY_ICON[d.severity],
    children: [],
    open: d.at,
  };
}

function contextNode(c: ContextImpactWire, baseline: string): ImpactNode {
  const id = `context|${c.key}`;
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const o of c.objects) counts[o.status]++;
  const parts = [counts.added && `+${counts.added}`, counts.removed && `−${counts.removed}`, counts.changed && `~${counts.changed}`].filter(Boolean);
  const worst = c.dangers.find((d) => d.severity === 'error') ?? c.dangers.find((d) => d.severity === 'warning');
  return {
    kind: 'context',
    id,
    label: c.name,
    description: [parts.join(' '), c.prune ? 'prune' : '', c.status !== 'changed' ? c.status : ''].filter(Boolean).join(' · '),
    tooltip: [c.label, `${plural(c.objects.length, 'object')}: ${counts.added} added, ${counts.removed} removed, ${counts.changed} changed`, c.prune ? 'spec.prune: true (removed objects are deleted)' : '', ...c.dangers.map((d) => `${d.severity}: ${d.message}`)].filter(Boolean).join('\n'),
    icon: worst ? SEVERITY_ICON[worst.severity] : { id: 'layers' },
    children: [...c.dangers.map((d, i) => dangerNode(id, d, i)), ...c.objects.map((o) => objectNode(id, o, c.dangers))],
    context: { key: c.key, name: c.name, baseline },
  };
}

/** The view's roots: one node per cluster, its contexts below. */
export function impactNodes(impact: FleetImpactWire): ImpactNode[] {
  const byCluster = new Map<string, ContextImpactWire[]>();
  for (const c of impact.contexts) byCluster.set(c.cluster, [...(byCluster.get(c.cluster) ?? []), c]);
  return [...byCluster].map(([cluster, contexts]) => {
    const children = contexts.map((c) => contextNode(c, impact.baseline.label));
    const objects = contexts.reduce((n, c) => n + c.objects.length, 0);
    const dangers = contexts.flatMap((c) => c.dangers);
    const worst = dangers.find((d) => d.severity === 'error') ?? dangers.find((d) => d.severity === 'warning');
    return {
      kind: 'cluster' as const,
      id: `cluster|${cluster}`,
      label: cluster,
      description: [plural(contexts.length, 'context'), plural(objects, 'object'), dangers.length ? plural(dangers.length, 'danger') : ''].filter(Boolean).join(', '),
      tooltip: `${cluster}: ${contexts.map((c) => c.name).join(', ')}`,
      icon: worst ? SEVERITY_ICON[worst.severity] : { id: 'server-environment' },
      children,
    };
  });
}
