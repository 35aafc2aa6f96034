// Edits as LSP ranges: in an open document from its text, in an indexed file from the index, else (a new file, the
// `.flux-fleet.yaml`) from the file's current text.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fleet } from '../ide';
import { toRange } from './convert';

export function rangeIn(fl: Fleet, file: string, span: { start: number; end: number }, open?: TextDocument) {
  if (open) return { start: open.positionAt(span.start), end: open.positionAt(span.end) };
  if (fl.facts.has(file)) return toRange(fl, file, span);
  const text = fl.fs.readFile(file) ?? '';
  const doc = TextDocument.create('file:///x', 'yaml', 0, text);
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}
