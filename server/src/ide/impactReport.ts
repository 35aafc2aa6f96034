// `flux-fleet diff` output: text for a terminal, Markdown for a pull-request comment (a summary table, then a folded
// diff per context), JSON (the FleetImpact, each cause with its 1-based line). Values are already masked by the engine.
import * as path from 'node:path';
import type { Json } from '../core/kustomize/types';
import type { ContextImpact, Danger, FleetImpact, ImpactCause, ObjectChange } from '../core/impact/types';
import { contextLabel, contextLabels } from '../core/evaluate/contextId';
import { layerLabel } from '../core/layer';

/** Where a cause is, for people: `file:line` relative to `cwd` (the baseline's line marked so). */
export type Locate = (c: ImpactCause) => { file: string; line: number };

function at(locate: Locate, c: ImpactCause | undefined, cwd: string): string {
  if (!c) return '';
  const { file, line } = locate(c);
  return `${path.relative(cwd, file) || '.'}${line ? `:${line}` : ''}${c.baseline ? ' (baseline)' : ''}`;
}

const show = (v: Json | undefined) => (v === undefined ? '(none)' : JSON.stringify(v));

function refText(o: { kind: string; namespace?: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

function counts(c: ContextImpact): string {
  const n = (s: string) => c.objects.filter((o) => o.status === s).length;
  return `+${n('added')} -${n('removed')} ~${n('changed')}`;
}

function objectLines(o: ObjectChange, locate: Locate, cwd: string, indent: string): string[] {
  const out = [`${indent}${MARK[o.status]} ${refText(o)}`];
  for (const f of o.fields) {
    const cause = f.cause ? `  # ${at(locate, f.cause, cwd)}${f.cause.layer ? ` (${layerLabel(f.cause.layer)})` : ''}` : '';
    out.push(`${indent}    ${f.path}: ${show(f.old)} → ${show(f.new)}${cause}`);
  }
  return out;
}

function dangerLine(d: Danger, locate: Locate, cwd: string, label: (id: Danger['contexts'][number]) => string): string {
  const where = at(locate, d.at, cwd);
  return `${d.severity} ${d.code}${where ? ` ${where}` : ''}: ${d.message} [${d.contexts.map(label).join(', ')}]`;
}

function summary(x: FleetImpact): string {
  const t = x.totals;
  return `${t.contexts} context${t.contexts === 1 ? '' : 's'}, ${t.objects} object${t.objects === 1 ? '' : 's'} (${t.added} added, ${t.removed} removed, ${t.changed} changed), ${t.deletions} deletion${t.deletions === 1 ? '' : 's'}; ${x.changedFiles.length} changed file${x.changedFiles.length === 1 ? '' : 's'} against ${x.baseline.label}`;
}

export function impactText(x: FleetImpact, locate: Locate, cwd: string): string {
  const label = contextLabels(x.contexts.map((c) => c.id));
  const out: string[] = [];
  for (const r of x.baseline.repos) if (r.note) out.push(`note: ${path.relative(cwd, r.root) || '.'}: ${r.note}`);
  for (const c of x.contexts) {
    out.push(`${contextLabel(c.id)} (${c.status}${c.prune ? ', prune' : ''}) ${counts(c)}`);
    for (const o of c.objects) out.push(...objectLines(o, locate, cwd, '  '));
  }
  if (x.dangers.length) {
    out.push('', 'Dangers:');
    for (const d of x.dangers) out.push(`  ${dangerLine(d, locate, cwd, label)}`);
  }
  out.push('', summary(x));
  return out.join('\n') + '\n';
}

const ICON = { error: '⛔', warning: '⚠️', info: 'ℹ️' } as const;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function impactMarkdown(x: FleetImpact, locate: Locate, cwd: string): string {
  const label = contextLabels(x.contexts.map((c) => c.id));
  const out: string[] = [`### Flux Fleet impact against \`${x.baseline.label}\``, '', summary(x), ''];
  if (x.contexts.length) {
    out.push('| Context | Added | Removed | Changed | Dangers |', '|---|---:|---:|---:|---|');
    for (const c of x.contexts) {
      const n = (s: string) => c.objects.filter((o) => o.status === s).length;
      const dangers = x.dangers.filter((d) => d.contexts.some((id) => contextLabel(id) === contextLabel(c.id)));
      out.push(`| ${cell(label(c.id))}${c.status === 'changed' ? '' : ` (${c.status})`} | ${n('added')} | ${n('removed')} | ${n('changed')} | ${dangers.map((d) => `${ICON[d.severity]} ${d.code}`).join(', ')} |`);
    }
    out.push('');
  }
  if (x.dangers.length) {
    out.push('**Dangers**', '');
    for (const d of x.dangers) out.push(`- ${ICON[d.severity]} **${d.code}**${d.at ? ` \`${at(locate, d.at, cwd)}\`` : ''}: ${d.message} _(${d.contexts.map(label).join(', ')})_`);
    out.push('');
  }
  for (const c of x.contexts) {
    out.push(`<details><summary>${escapeHtml(contextLabel(c.id))} ${counts(c)}</summary>`, '', '```diff');
    for (const o of c.objects) {
      out.push(`${o.status === 'added' ? '+' : o.status === 'removed' ? '-' : '!'} ${refText(o)}`);
      for (const f of o.fields) {
        const cause = f.cause ? `  # ${at(locate, f.cause, cwd)}` : '';
        if (f.old !== undefined) out.push(`-   ${f.path}: ${show(f.old)}${f.new === undefined ? cause : ''}`);
        if (f.new !== undefined) out.push(`+   ${f.path}: ${show(f.new)}${cause}`);
      }
    }
    out.push('```', '', '</details>', '');
  }
  return out.join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The impact as JSON, every cause with its 1-based `line`. */
export function impactJson(x: FleetImpact, locate: Locate): string {
  return JSON.stringify(
    x,
    function (this: unknown, key, value) {
      if (value && typeof value === 'object' && !Array.isArray(value) && 'file' in value && (key === 'cause' || key === 'at' || key === 'origin')) return { ...value, line: locate(value as ImpactCause).line };
      return value;
    },
    2,
  ) + '\n';
}
