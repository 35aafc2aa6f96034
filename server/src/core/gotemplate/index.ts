// A small interpreter of Go's text/template, with configurable delimiters and a caller-given function map. It knows
// nothing of Flux: the Flux Operator's dialect (`<< >>`, missingkey=error, slim-sprig, `inputs`) is assembled by
// core/resourceSet. Errors are results with Go's message and the span in the template text, never exceptions.
import type { Node, Span } from './ast';
import { execute, type ExecOptions, type FuncMap, type OutputSegment } from './exec';
import { parse } from './parser';

export type { Arg, Node, Span } from './ast';
export { walkArgs } from './ast';
export { FuncError, type FuncMap, type GoFunc, type OutputSegment, type ParamType } from './exec';
export { BUILTINS } from './builtins';
export { SPRIG, adler32 } from './sprig';
export * from './values';

export interface TemplateError {
  kind: 'parse' | 'exec';
  /** Go's message: `template: NAME:LINE: …` (parse) or `template: NAME:LINE:COL: executing "NAME" at <…>: …`. */
  message: string;
  /** The message without Go's location prefix. */
  reason: string;
  span: Span;
  unknownFunction?: string;
  missingKey?: { key: string; path: string[] };
}

export interface Template {
  name: string;
  text: string;
  nodes: Node[];
}

export interface ParseTemplateOptions {
  name?: string;
  leftDelim?: string;
  rightDelim?: string;
  funcs: FuncMap;
}

/** A function of the map, own or inherited (a map may extend a shared one), never one of Object's own members. */
function isFunc(f: unknown): boolean {
  return typeof f === 'object' && f !== null && Array.isArray((f as { params?: unknown }).params) && typeof (f as { call?: unknown }).call === 'function';
}

function lineOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1);
  return { line, col };
}

export function parseTemplate(text: string, opts: ParseTemplateOptions): { template: Template } | { error: TemplateError } {
  const name = opts.name ?? 'template';
  const r = parse(text, { leftDelim: opts.leftDelim, rightDelim: opts.rightDelim, hasFunction: (n) => isFunc(opts.funcs[n]) });
  if ('error' in r) {
    const { line } = lineOf(text, r.error.span.start);
    return {
      error: { kind: 'parse', message: `template: ${name}:${line}: ${r.error.message}`, reason: r.error.message, span: r.error.span, unknownFunction: r.error.unknownFunction },
    };
  }
  return { template: { name, text, nodes: r.nodes } };
}

export function executeTemplate(t: Template, opts: ExecOptions): { output: string; segments: OutputSegment[] } | { error: TemplateError } {
  const r = execute(t.nodes, t.text, opts);
  if ('error' in r) {
    const { line, col } = lineOf(t.text, r.error.pos ?? r.error.span.start);
    const reason = r.error.message.replace(/^executing at <[^>]*>: /, '');
    return {
      error: {
        kind: 'exec',
        message: `template: ${t.name}:${line}:${col}: ${r.error.message.replace(/^executing/, `executing "${t.name}"`)}`,
        reason,
        span: r.error.span,
        missingKey: r.error.missingKey,
      },
    };
  }
  return r;
}
