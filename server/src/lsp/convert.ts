// The one place where core offsets/paths become LSP positions/URIs and back.
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as lsp from 'vscode-languageserver';
import { lineColToOffset, lineStartsOf, offsetToLineCol, type Fleet, type Span, type Location, type Finding } from '../ide';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri).split('\\').join('/');
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

export function toRange(fleet: Fleet, file: string, span: Span | undefined): lsp.Range {
  if (!span) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const starts = lineStartsOf(fleet, file);
  return { start: offsetToLineCol(starts, span.start), end: offsetToLineCol(starts, span.end) };
}

export function toOffset(fleet: Fleet, file: string, pos: lsp.Position): number {
  const facts = fleet.facts.get(file);
  if (!facts) return 0;
  return lineColToOffset(facts.lineStarts, pos, facts.text.length);
}

export function toSpan(fleet: Fleet, file: string, range: lsp.Range): Span {
  return { start: toOffset(fleet, file, range.start), end: toOffset(fleet, file, range.end) };
}

export function toLocation(fleet: Fleet, loc: Location): lsp.Location {
  return { uri: pathToUri(loc.file), range: toRange(fleet, loc.file, loc.span) };
}

const SEVERITY: Record<Finding['severity'], lsp.DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

export function toDiagnostic(fleet: Fleet, f: Finding): lsp.Diagnostic {
  return {
    range: toRange(fleet, f.file, f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'flux-fleet',
    message: f.message,
    relatedInformation: f.related?.map((r) => ({ location: toLocation(fleet, { file: r.file, span: r.span }), message: r.message })),
    data: f.data,
  };
}
