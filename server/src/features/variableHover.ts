// Hover on `${VAR}`: its value in each context that deploys the file, and where each value comes from (a
// Kustomization's postBuild.substitute, a substituteFrom ConfigMap/Secret key, or the default).
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import { findVariables } from '../core/kustomize/substitute';
import { evaluatorOf } from '../core/evaluate/contexts';
import { contextLabels, type ContextId } from '../core/evaluate/contextId';
import { deployChains } from './deployChains';
import { displayPath, lineOf } from './describe';
import { MASK, shownString } from '../core/redact';
import { layerLabel } from '../core/layer';

export interface VariableAnswer {
  context: ContextId;
  /** The value as it may be shown (masked when secret). */
  value?: string;
  secret: boolean;
  /** No value here, but a source only the cluster fills may hold one. */
  unknown?: boolean;
  /** Where the value is written, or 'default' / 'undefined'. */
  from: string;
  substitutes: boolean;
}

/** The `${…}` expression at `offset` in the file's text. */
export function variableAt(text: string, offset: number): { name: string; body: string; span: Span; hasDefault: boolean } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  for (const v of findVariables(line)) {
    if (offset >= lineStart + v.start && offset <= lineStart + v.end) return { name: v.name, body: v.body, span: { start: lineStart + v.start, end: lineStart + v.end }, hasDefault: v.hasDefault };
  }
  return undefined;
}

export function variableAnswers(fleet: Fleet, file: string, name: string, body: string): VariableAnswer[] {
  const chains = deployChains(fleet, file);
  const contexts = chains.length ? evaluatorOf(fleet).contextsFor(file, chains, 60) : [];
  const defaultValue = /^[_a-zA-Z][_a-zA-Z0-9]*(:?[=-])(.*)$/.exec(body)?.[2];
  return contexts.map((c) => {
    const v = c.build.variables.get(name);
    if (v) {
      const where = v.from.span ? `${displayPath(fleet, v.from.file)}:${lineOf(fleet, v.from.file, v.from.span.start)}` : displayPath(fleet, v.from.file);
      // A Secret's value (or one derived from it) leaves only masked (core/redact.ts).
      const value = shownString(v.value, v.secret);
      return { context: c.id, value, secret: value !== v.value, from: `${layerLabel(v.from.layer)} at ${where}`, substitutes: c.build.substitutes };
    }
    if (defaultValue !== undefined) return { context: c.id, value: defaultValue, secret: false, from: 'the default in the expression', substitutes: c.build.substitutes };
    // A substituteFrom source only the cluster fills (an ExternalSecret's Secret) may hold it.
    const opaque = c.build.opaqueSources;
    if (opaque.length) return { context: c.id, secret: false, unknown: true, from: `unknown here: it may come from ${opaque.join('; ')}`, substitutes: c.build.substitutes };
    return { context: c.id, secret: false, from: 'undefined', substitutes: c.build.substitutes };
  });
}

export function variableHover(fleet: Fleet, file: string, offset: number): { span: Span; markdown: string } | undefined {
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text;
  if (!text) return undefined;
  const v = variableAt(text, offset);
  if (!v) return undefined;
  const answers = variableAnswers(fleet, file, v.name, v.body);
  const lines = [`**\${${v.name}}** — Flux postBuild variable`, ''];
  if (!answers.length) {
    lines.push('No Flux Kustomization that deploys this file was found, so no value is known.');
    return { span: v.span, markdown: lines.join('\n') };
  }
  const groups = new Map<string, VariableAnswer[]>();
  for (const a of answers) {
    const shown = !a.substitutes ? 'not substituted (the Kustomization has no variables)' : a.unknown ? 'unknown' : a.value === undefined ? 'undefined' : a.secret ? `${MASK} (from a Secret, not shown)` : JSON.stringify(a.value);
    const key = `${shown}|${a.from}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const label = contextLabels(answers.map((a) => a.context));
  for (const [key, group] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    const [shown, from] = key.split('|');
    lines.push(`- \`${shown}\` on ${group.length} context${group.length === 1 ? '' : 's'} (${group.slice(0, 3).map((g) => label(g.context)).join(', ')}${group.length > 3 ? ', …' : ''}) — ${from}`);
  }
  return { span: v.span, markdown: lines.join('\n') };
}
