// Printing JSON data exactly as kubectl kustomize prints it: kustomize turns each resource into JSON and hands it to
// go-yaml v2's Marshal (sigs.k8s.io/yaml JSONToYAML). So: keys in go-yaml's natural order (`item2` before `item10`),
// block style with sequences at their key's indentation, each string in the first style go-yaml allows for it
// (plain, single-quoted, double-quoted with escapes, or `|` literal for multi-line text), lines folded at a space
// once past column 80, and numbers as Go formats them. This is a port of the parts of go-yaml's emitter that
// JSON data reaches, not a general YAML printer.
import type { Json } from './types';
import { goYamlNeedsQuotes } from './goYamlResolve';

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

// ---- key order ---------------------------------------------------------------------------------------------------

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

/** go-yaml's keyList.Less for string keys: letters by code point, runs of digits by their numeric value. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

const byGoYamlKey = (a: string, b: string) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0);

// ---- numbers -----------------------------------------------------------------------------------------------------

/**
 * A number as it comes out of kustomize's JSON → go-yaml round trip: an integral value within int64/uint64 is an
 * integer; anything else a float in Go's shortest `%g` (exponent from 1e+06 on and below 1e-04, two-digit exponent).
 */
export function goYamlNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 64) return BigInt(n).toString();
  const [mantissa, exponent] = n.toExponential().split('e'); // shortest digits, like Go's precision -1
  const x = Number(exponent);
  if (x < -4 || x >= 6) return `${mantissa}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return String(n);
}

// ---- scalar analysis (go-yaml's yaml_emitter_analyze_scalar) -------------------------------------------------------

const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyze(chars: string[]): Analysis {
  if (chars.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const text = chars.join('');
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (c === '\t') tabs = true;
    else if (!isPrintable(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === '\0';
  }
  const a: Analysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || tabs || special) a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || special) a.blockAllowed = false;
  if (lineBreaks || blockIndicators) a.blockPlainAllowed = false;
  return a;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

/** go-yaml v2's stringv + yaml_emitter_select_scalar_style, in block context. */
function styleOf(chars: string[], text: string, simpleKey: boolean): Style {
  const a = analyze(chars);
  let style: Style = text.includes('\n') ? 'literal' : goYamlNeedsQuotes(text) ? 'double' : 'plain';
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain' && !a.blockPlainAllowed) style = 'single';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
};

function escapeChar(c: string): string {
  const named = ESCAPES[c];
  if (named) return '\\' + named;
  const cp = c.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

// ---- the emitter -------------------------------------------------------------------------------------------------

/** Where a comment goes: called with each scalar leaf's JSON pointer. */
export type LeafComment = (pointer: string) => string | undefined;

const escapeSegment = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  /** The indentation of the scalar being written (continuation lines of folded or literal text). */
  indent = 0;

  put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }
  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }
  writeIndent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  indicator(s: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(s);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }
  /** A break character of single-quoted or literal text: a newline, or the character itself starting a new line. */
  writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  scalar(text: string, indent: number, simpleKey: boolean, comment?: string): void {
    const chars = [...text];
    const allowBreaks = !simpleKey;
    this.indent = indent;
    switch (styleOf(chars, text, simpleKey)) {
      case 'plain':
        this.plain(chars, allowBreaks);
        break;
      case 'single':
        this.single(chars, allowBreaks);
        break;
      case 'double':
        this.double(chars, allowBreaks);
        break;
      case 'literal':
        this.literal(chars, comment);
        return;
    }
    if (comment) this.put(` # ${comment}`);
  }

  plain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent(this.indent);
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    });
    this.whitespace = false;
    this.indention = false;
  }

  single(chars: string[], allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') this.writeIndent(this.indent);
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(this.indent);
        this.put(c === "'" ? "''" : c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    this.indicator("'", false, false, false);
  }

  double(chars: string[], allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    let spaces = false;
    chars.forEach((c, i) => {
      if (!isPrintable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
        this.put(escapeChar(c));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent(this.indent);
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
    this.indicator('"', false, false, false);
  }

  literal(chars: string[], comment?: string): void {
    this.indicator('|', true, false, false);
    if (chars[0] === ' ' || isBreak(chars[0])) this.indicator(String(BEST_INDENT), false, false, false);
    const last = chars.length - 1;
    if (chars.length === 0 || !isBreak(chars[last])) this.indicator('-', false, false, false);
    else if (last === 0 || isBreak(chars[last - 1])) this.indicator('+', false, false, false);
    if (comment) this.put(` # ${comment}`);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(this.indent);
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  /** A value at `indent` (a mapping's keys, a sequence's dashes, a scalar's continuation lines less 2). */
  node(value: Json, indent: number, pointer: string, comment: LeafComment | undefined, inMapping: boolean): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.indicator('[]', true, false, false);
      // Dashes at `indent`: a mapping passes its key's column (go-yaml's indentless sequence in a mapping).
      const seqIndent = indent;
      value.forEach((item, i) => {
        this.writeIndent(seqIndent);
        this.indicator('-', true, false, true);
        this.node(item, seqIndent + BEST_INDENT, `${pointer}/${i}`, comment, false);
      });
      return;
    }
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value).sort(byGoYamlKey);
      if (keys.length === 0) return this.indicator('{}', true, false, false);
      for (const key of keys) {
        this.writeIndent(indent);
        this.scalar(key, indent + BEST_INDENT, true);
        this.indicator(':', false, false, false);
        const child = value[key];
        const p = `${pointer}/${escapeSegment(key)}`;
        // A mapping value's own mapping is indented; its sequence stays at the key's column.
        const isCollection = child !== null && typeof child === 'object' && Object.keys(child).length > 0;
        this.node(child, isCollection && !Array.isArray(child) ? indent + BEST_INDENT : indent, p, comment, true);
      }
      return;
    }
    const c = comment?.(pointer);
    if (typeof value === 'string') return this.scalar(value, indent + (inMapping ? BEST_INDENT : 0), false, c);
    const text = value === null ? 'null' : typeof value === 'number' ? goYamlNumber(value) : String(value);
    this.indent = indent;
    if (!this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = false;
    this.indention = false;
    if (c) this.put(` # ${c}`);
  }
}

/** One document as go-yaml v2 marshals it, ending in a newline. */
export function goYamlDocument(value: Json, comment?: LeafComment): string {
  const e = new Emitter();
  e.node(value, 0, '', comment, false);
  if (e.column !== 0) e.putBreak();
  return e.out;
}
