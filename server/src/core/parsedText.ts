// A file text parsed once, the way every reader of a fleet's files shares it (the index, the kustomize engine's loads,
// lock scanning, schemas, completion): core/yamlParse.ts's bounded parse with its default options — kustomize's own
// reading: strict, duplicate keys are errors. Readers that were lenient (the index reports neither duplicate keys nor
// the YAML 1.2 strict-mode errors) read `lenientErrors`; the trees are the same either way (options only add errors).
import type { Document, YAMLError } from 'yaml';
import { parseYamlAll } from './yamlParse';
import { deAnchor, type AnchorError } from './yamlAnchors';

export interface ParsedText {
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
  /** deAnchor of `docs[i]`, run once (it resolves in place: a second run of a failed one would read a half-done tree). */
  anchorError(i: number): AnchorError | undefined;
  /** The errors of `docs[i]` under `{ uniqueKeys: false, strict: false }`. */
  lenientErrors(i: number): readonly YAMLError[];
}

/** Gives a file's text parsed (a fleet's database keeps one parse per text; see db/parse.ts). */
export type ParseText = (file: string, text: string) => ParsedText;

/** Codes the `yaml` package raises only in strict mode, or in both (then only a lenient parse tells which). */
const MAYBE_STRICT_ONLY: ReadonlySet<string> = new Set(['MISSING_CHAR', 'MULTILINE_IMPLICIT_KEY', 'KEY_OVER_1024_CHARS']);

export function parseText(text: string): ParsedText {
  const docs = parseYamlAll(text);
  const anchors: Array<{ error: AnchorError | undefined } | undefined> = [];
  let lenient: Document.Parsed[] | undefined;
  return {
    text,
    docs,
    anchorError(i) {
      return (anchors[i] ??= { error: deAnchor(docs[i]) }).error;
    },
    lenientErrors(i) {
      const errors = docs[i].errors;
      if (errors.some((e) => MAYBE_STRICT_ONLY.has(e.code))) {
        // Rare: a second parse tells the strict-only errors from the others (same trees, same documents).
        lenient ??= parseYamlAll(text, { uniqueKeys: false, strict: false });
        return lenient[i]?.errors ?? [];
      }
      return errors.some((e) => e.code === 'DUPLICATE_KEY') ? errors.filter((e) => e.code !== 'DUPLICATE_KEY') : errors;
    },
  };
}

/** Without a fleet (tests, one-off builds): every call parses. */
export const parseUnshared: ParseText = (_file, text) => parseText(text);
