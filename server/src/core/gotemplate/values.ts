// Go values as a template sees them, in plain JavaScript: JSON data (maps are plain objects, slices arrays) with the
// two distinctions Go keeps and JSON loses. A plain integral number is an int64 (what Kubernetes' JSON decoding gives
// every integral input); GoInt is a Go `int` (what `len`, `int`, `atoi` return: only it fits an `int` parameter);
// GoFloat is an explicit float64 (`1.0` literals, `float64`, `fromJson`); a non-integral number is a float64 too.
// Printing follows Go's fmt: `%v` of a float64 is `%g` shortest (1e+06), maps print as map[k:v] with sorted keys.

export class GoInt {
  constructor(readonly v: number) {}
}
export class GoFloat {
  constructor(readonly v: number) {}
}

export type GoValue = null | undefined | boolean | number | string | GoInt | GoFloat | GoValue[] | GoMap;
export interface GoMap {
  [key: string]: GoValue;
}

export type Kind = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map';

export function isMap(v: GoValue): v is GoMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoInt) && !(v instanceof GoFloat);
}

export function kindOf(v: GoValue): Kind {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoFloat) return 'float';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/** Go's type name of a value, for messages and typeOf (`int64` for JSON integers, `[]interface {}` for lists). */
export function typeName(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoFloat) return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

export function num(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt || v instanceof GoFloat) return v.v;
  return 0;
}

/** text/template's truth: the empty values are false, 0, nil, and empty strings, slices and maps. */
export function truth(v: GoValue): boolean {
  switch (kindOf(v)) {
    case 'invalid':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return num(v) !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as GoValue[]).length > 0;
    case 'map':
      return Object.keys(v as GoMap).length > 0;
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses: exponent from 1e+06 on and below 1e-04. */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, exponent] = n.toExponential().split('e');
  const x = Number(exponent);
  if (x < -4 || x >= 6) return `${mantissa}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return String(n);
}

/** fmt's %v of a value (fmt.Sprint of one operand). Nested nil prints `<nil>`. */
export function formatValue(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (v instanceof GoInt) return String(v.v);
  if (v instanceof GoFloat) return formatFloat(v.v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  return `map[${Object.keys(v)
    .sort()
    .map((k) => `${k}:${formatValue(v[k])}`)
    .join(' ')}]`;
}

/** fmt.Sprint(args...): a space between operands when neither side is a string. */
export function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote: printable runes as they are, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (PRINTABLE.test(c)) out += c;
    else if (c === '\x07') out += '\\a';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** UTF-8 length: Go's len of a string counts bytes. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A value as JSON data (GoInt/GoFloat unwrapped), for encoders. */
export function toJsonData(v: GoValue): unknown {
  if (v === undefined) return null;
  if (v instanceof GoInt || v instanceof GoFloat) return v.v;
  if (Array.isArray(v)) return v.map(toJsonData);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = toJsonData(v[k]);
    return out;
  }
  return v;
}

/** Go's encoding/json Marshal: sorted keys, HTML characters escaped unless `raw`, floats as Go prints them. */
export function goJson(v: GoValue, opts: { raw?: boolean; indent?: string } = {}): string {
  const enc = (x: GoValue, depth: number): string => {
    const nl = opts.indent !== undefined ? '\n' + opts.indent.repeat(depth + 1) : '';
    const close = opts.indent !== undefined ? '\n' + opts.indent.repeat(depth) : '';
    const colon = opts.indent !== undefined ? ': ' : ':';
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'boolean') return String(x);
    if (typeof x === 'string') return jsonString(x, !opts.raw);
    if (typeof x === 'number' || x instanceof GoInt || x instanceof GoFloat) return jsonNumber(num(x));
    if (Array.isArray(x)) return x.length === 0 ? '[]' : `[${x.map((e) => nl + enc(e, depth + 1)).join(',')}${close}]`;
    const keys = Object.keys(x).sort();
    return keys.length === 0 ? '{}' : `{${keys.map((k) => `${nl}${jsonString(k, !opts.raw)}${colon}${enc(x[k], depth + 1)}`).join(',')}${close}}`;
  };
  return enc(v, 0);
}

/** Go's encoding/json float format ('f', or 'e' below 1e-6 and from 1e21, shortest digits): JavaScript's own. */
function jsonNumber(n: number): string {
  return String(n);
}

function jsonString(s: string, html: boolean): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (cp < 0x20) out += '\\u' + cp.toString(16).padStart(4, '0');
    else if (html && (c === '<' || c === '>' || c === '&')) out += '\\u' + cp.toString(16).padStart(4, '0');
    else if (cp === 0x2028 || cp === 0x2029) out += '\\u' + cp.toString(16);
    else out += c;
  }
  return out + '"';
}
