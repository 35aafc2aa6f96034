// What the linker can see of a file, without positions: two texts with the same link shape (an edited value, a
// comment, text moved down by a line) give the same span-independent answers (includers, source roots, objects by
// name, generated entries, providers), so an edit that keeps it need not re-check what those answers decided.
import type { FileFacts } from './facts';

/** Keys of FileFacts derived from positions or the text itself, not from what the documents declare. */
const POSITIONAL: ReadonlySet<string> = new Set(['text', 'lineStarts']);

function isSpan(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { start?: unknown }).start === 'number' && typeof (v as { end?: unknown }).end === 'number';
}

/** The facts as JSON with every span (any `{start, end}` object) and the text left out. */
export function linkShape(facts: FileFacts | undefined): string {
  if (!facts) return '';
  return JSON.stringify(facts, (key, value) => (POSITIONAL.has(key) || isSpan(value) ? undefined : value));
}
