// The Outline: each document of a file as a symbol (`Kind namespace/name`), and in a kustomization file its path
// entries grouped by field (resources, components, patches…) and the objects its generators make. Read from the
// file's facts: no parse of its own.
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: 'object' | 'kustomization' | 'field' | 'path' | 'generated';
  span: Span;
  selectionSpan: Span;
  children: DocumentSymbol[];
}

export function documentSymbols(fleet: Fleet, file: string): DocumentSymbol[] {
  const facts = fleet.facts.get(file);
  if (!facts) return [];
  const out: DocumentSymbol[] = facts.objects.map((o) => ({
    name: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
    detail: o.apiVersion,
    kind: 'object',
    span: cover(o.span, o.nameSpan),
    selectionSpan: o.nameSpan,
    children: [],
  }));
  const k = facts.kustomize;
  if (k) {
    const fields = new Map<string, DocumentSymbol>();
    for (const p of [...k.paths.map((x) => ({ role: x.role, value: x.value, span: x.span })), ...k.remotes.map((x) => ({ role: x.role, value: x.value, span: x.span }))]) {
      const field = fields.get(p.role) ?? { name: p.role, kind: 'field' as const, span: p.span, selectionSpan: p.span, children: [] };
      field.span = cover(field.span, p.span);
      field.children.push({ name: p.value, kind: 'path', span: p.span, selectionSpan: p.span, children: [] });
      fields.set(p.role, field);
    }
    const generated = k.generated.map((g): DocumentSymbol => ({ name: `${g.kind} ${g.name}`, detail: 'generated', kind: 'generated', span: cover(g.span, g.nameSpan), selectionSpan: g.nameSpan, children: [] }));
    const children = [...fields.values(), ...generated].sort((a, b) => a.span.start - b.span.start);
    const whole = { start: 0, end: facts.text.length };
    out.push({ name: k.kind, detail: k.namespace ? `namespace ${k.namespace}` : undefined, kind: 'kustomization', span: whole, selectionSpan: children[0]?.selectionSpan ?? { start: 0, end: 0 }, children });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The smallest span holding both (a symbol's range must contain its selection range). */
function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
