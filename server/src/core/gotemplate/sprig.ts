// The functions of slim-sprig (github.com/go-task/slim-sprig), the function library the Flux Operator gives its
// templates through HermeticTxtFuncMap (so no date, random, env or network functions). Semantics follow the Go
// code: argument orders made for pipelines (`"foo" | contains "f"`), `default` treating false/0/""/empty as unset,
// `int` of a string parsing base 10, `get` of a missing key giving "". A few functions the offline renderer does not
// implement (durations, URLs) are still defined, so templates parse as they do in the operator, and fail when run.
import { createHash } from 'node:crypto';
import { FuncError, type FuncMap, type GoFunc } from './exec';
import { formatValue, GoFloat, GoInt, goJson, goQuote, isMap, kindOf, num, typeName, type GoMap, type GoValue } from './values';

const fn = (params: GoFunc['params'], call: GoFunc['call'], variadic?: GoFunc['variadic']): GoFunc => ({ params, call, variadic });
const str = (v: GoValue) => v as string;
const int = (v: GoValue) => num(v);

/** sprig's strval: strings as they are, anything else through fmt's %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  return formatValue(v ?? null);
}

/** sprig's empty: nil, false, 0, and empty strings, slices and maps. */
export function empty(v: GoValue): boolean {
  switch (kindOf(v)) {
    case 'invalid':
      return true;
    case 'bool':
      return !v;
    case 'int':
    case 'float':
      return num(v) === 0;
    case 'string':
      return (v as string).length === 0;
    case 'slice':
      return (v as GoValue[]).length === 0;
    case 'map':
      return Object.keys(v as GoMap).length === 0;
  }
}

/** slim-sprig's toInt64: strings parsed base 10 (0 when not a number), floats truncated, booleans 0/1. */
export function toInt64(v: GoValue): number {
  if (typeof v === 'string') return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || v instanceof GoInt || v instanceof GoFloat) return Math.trunc(num(v));
  return 0;
}
function toFloat64(v: GoValue): number {
  if (typeof v === 'string') {
    const n = Number(v.trim() === '' ? NaN : v);
    return Number.isNaN(n) ? 0 : n;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return num(v);
}

/** sprig's strslice: a list's non-nil elements as strings; a scalar as a one-element list; nil as none. */
function strslice(v: GoValue): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  return [strval(v)];
}

function list(v: GoValue, name: string): GoValue[] {
  if (Array.isArray(v)) return v;
  throw new FuncError(`Cannot find ${name} on type ${typeName(v)}`);
}

// Go's strings.Title: the first letter of each word upper-cased; a word starts after a non-letter/digit/underscore.
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    const sep = !/[\p{L}\p{Nd}_]/u.test(prev) && (prev.charCodeAt(0) < 0x80 || /\s/u.test(prev));
    out += sep ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

function goTrim(s: string, cutset: string, left = true, right = true): string {
  const set = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  if (left) while (a < b && set.has(chars[a])) a++;
  if (right) while (b > a && set.has(chars[b - 1])) b--;
  return chars.slice(a, b).join('');
}

/** A Go (RE2) regular expression as a JavaScript one: named groups and leading inline flags translated. */
function goRegexp(re: string): RegExp {
  let flags = '';
  let src = re;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    flags = [...m[1]].filter((f) => 'ims'.includes(f)).join('');
    src = src.slice(m[0].length);
  }
  src = src.replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(src, flags + 'g');
  } catch (e) {
    throw new FuncError(`error parsing regexp: ${(e as Error).message}: \`${re}\``);
  }
}

/** Go's Regexp.Expand of `$1`, `${1}`, `$name`, `${name}`, `$$` (a name is the longest run of letters/digits/_). */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, d, braced, bare) => {
    if (d === '$') return '$';
    const name = braced ?? bare;
    const v = /^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name];
    return v ?? '';
  });
}

function replaceAll(re: RegExp, s: string, repl: (m: RegExpExecArray) => string): string {
  let out = '';
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out += s.slice(last, m.index) + repl(m);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return out + s.slice(last);
}

function findAll(re: RegExp, s: string, n: number): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(s); m && (n < 0 || out.length < n); m = re.exec(s)) {
    out.push(m[0]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function indent(spaces: number, v: string): string {
  const pad = ' '.repeat(Math.max(0, spaces));
  return pad + v.replace(/\n/g, '\n' + pad);
}

function dict(args: GoValue[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < args.length; i += 2) out[strval(args[i])] = i + 1 < args.length ? args[i + 1] : '';
  return out;
}

function deepEqual(a: GoValue, b: GoValue): boolean {
  if (typeName(a) !== typeName(b)) return false;
  if (Array.isArray(a)) return a.length === (b as GoValue[]).length && a.every((x, i) => deepEqual(x, (b as GoValue[])[i]));
  if (isMap(a)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b as GoMap).length && ka.every((k) => k in (b as GoMap) && deepEqual(a[k], (b as GoMap)[k]));
  }
  return num(a) === num(b) && (typeof a !== 'string' || a === b) && (typeof a !== 'boolean' || a === b);
}

function fromJsonValue(x: unknown): GoValue {
  if (typeof x === 'number') return new GoFloat(x);
  if (Array.isArray(x)) return x.map(fromJsonValue);
  if (x !== null && typeof x === 'object') {
    const out: GoMap = {};
    for (const [k, v] of Object.entries(x)) out[k] = fromJsonValue(v);
    return out;
  }
  return x as GoValue;
}

function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}
function pathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}
function pathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return pathClean(p.slice(0, i + 1));
}
function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** Lists and strings a function may make: a template is data, not a way to fill memory. */
const MAX_ELEMENTS = 1_000_000;

function until(start: number, stop: number, step: number): GoInt[] {
  const out: GoInt[] = [];
  if (step === 0) return out;
  if (Math.abs((stop - start) / step) > MAX_ELEMENTS) throw new FuncError(`more than ${MAX_ELEMENTS} elements`);
  if (start < stop) {
    if (step < 0) return out;
    for (let i = start; i < stop; i += step) out.push(new GoInt(i));
  } else {
    if (step > 0) return out;
    for (let i = start; i > stop; i += step) out.push(new GoInt(i));
  }
  return out;
}

function seq(params: number[]): string {
  const [a, b, c] = params;
  let start = 1;
  let end = 0;
  let step = 1;
  if (params.length === 0) return '';
  if (params.length === 1) {
    end = a;
    if (end < 1) step = -1;
  } else if (params.length === 2) {
    start = a;
    end = b;
    if (end < start) step = -1;
  } else if (params.length === 3) {
    start = a;
    step = b;
    end = c;
    if ((end < start && step > 0) || (end > start && step < 0) || step === 0) return '';
  } else return '';
  if (Math.abs((end - start) / step) > MAX_ELEMENTS) throw new FuncError(`more than ${MAX_ELEMENTS} elements`);
  const out: number[] = [];
  if (step > 0) for (let i = start; i <= end; i += step) out.push(i);
  else for (let i = start; i >= end; i += step) out.push(i);
  return out.join(' ');
}

function unsupported(name: string): GoFunc {
  return fn([], () => {
    throw new FuncError(`${name} is not supported by the offline renderer`);
  }, 'any');
}

const UNSUPPORTED = ['ago', 'duration', 'durationRound', 'toDate', 'mustToDate', 'unixEpoch', 'must_date_modify', 'mustDateModify', 'urlParse', 'urlJoin', 'osAbs'];

export const SPRIG: FuncMap = {
  hello: fn([], () => 'Hello!'),
  // strings
  trunc: fn(['int', 'string'], ([c, s]) => {
    const n = int(c);
    const b = Buffer.from(str(s));
    if (n < 0 && b.length + n > 0) return b.subarray(b.length + n).toString('utf8');
    if (n >= 0 && b.length > n) return b.subarray(0, n).toString('utf8');
    return str(s);
  }),
  trim: fn(['string'], ([s]) => str(s).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/gu, '')),
  upper: fn(['string'], ([s]) => str(s).toUpperCase()),
  lower: fn(['string'], ([s]) => str(s).toLowerCase()),
  title: fn(['string'], ([s]) => title(str(s))),
  substr: fn(['int', 'int', 'string'], ([a, b, s]) => {
    const buf = Buffer.from(str(s));
    let start = int(a);
    const end = int(b);
    if (start < 0) return buf.subarray(0, end).toString('utf8');
    if (end < 0 || end > buf.length) return buf.subarray(start).toString('utf8');
    if (start > end) start = end;
    return buf.subarray(start, end).toString('utf8');
  }),
  repeat: fn(['int', 'string'], ([c, s]) => {
    if (int(c) < 0) throw new FuncError('strings: negative Repeat count');
    if (int(c) * str(s).length > 16 * MAX_ELEMENTS) throw new FuncError(`more than ${16 * MAX_ELEMENTS} characters`);
    return str(s).repeat(int(c));
  }),
  trimall: fn(['string', 'string'], ([a, b]) => goTrim(str(b), str(a))),
  trimAll: fn(['string', 'string'], ([a, b]) => goTrim(str(b), str(a))),
  trimSuffix: fn(['string', 'string'], ([a, b]) => (str(b).endsWith(str(a)) ? str(b).slice(0, str(b).length - str(a).length) : str(b))),
  trimPrefix: fn(['string', 'string'], ([a, b]) => (str(b).startsWith(str(a)) ? str(b).slice(str(a).length) : str(b))),
  contains: fn(['string', 'string'], ([a, b]) => str(b).includes(str(a))),
  hasPrefix: fn(['string', 'string'], ([a, b]) => str(b).startsWith(str(a))),
  hasSuffix: fn(['string', 'string'], ([a, b]) => str(b).endsWith(str(a))),
  quote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(strval(a))).join(' '), 'any'),
  squote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${strval(a)}'`).join(' '), 'any'),
  cat: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map(formatValue).join(' '), 'any'),
  indent: fn(['int', 'string'], ([n, s]) => indent(int(n), str(s))),
  nindent: fn(['int', 'string'], ([n, s]) => '\n' + indent(int(n), str(s))),
  replace: fn(['string', 'string', 'string'], ([o, n, s]) => (str(o) === '' ? str(s).replace(/(?:)/gu, str(n)) : str(s).split(str(o)).join(str(n)))),
  plural: fn(['string', 'string', 'int'], ([one, many, c]) => (int(c) === 1 ? one : many)),
  sha1sum: fn(['string'], ([s]) => createHash('sha1').update(str(s), 'utf8').digest('hex')),
  sha256sum: fn(['string'], ([s]) => createHash('sha256').update(str(s), 'utf8').digest('hex')),
  adler32sum: fn(['string'], ([s]) => String(adler32(str(s)))),
  toString: fn(['any'], ([v]) => strval(v)),
  // numbers
  atoi: fn(['string'], ([s]) => new GoInt(/^[+-]?\d+$/.test(str(s)) ? Number(s) : 0)),
  int64: fn(['any'], ([v]) => toInt64(v)),
  int: fn(['any'], ([v]) => new GoInt(toInt64(v))),
  float64: fn(['any'], ([v]) => new GoFloat(toFloat64(v))),
  seq: fn([], (args) => seq(args.map(int)), 'int'),
  toDecimal: fn(['any'], ([v]) => {
    const s = strval(v);
    return /^[0-7]+$/.test(s) ? parseInt(s, 8) : 0;
  }),
  split: fn(['string', 'string'], ([sep, s]) => {
    const out: GoMap = {};
    str(s)
      .split(str(sep))
      .forEach((p, i) => (out['_' + i] = p));
    return out;
  }),
  splitList: fn(['string', 'string'], ([sep, s]) => (str(sep) === '' ? [...str(s)] : str(s).split(str(sep)))),
  splitn: fn(['string', 'int', 'string'], ([sep, n, s]) => {
    const parts = str(s).split(str(sep));
    const k = int(n);
    const kept = k > 0 && parts.length > k ? [...parts.slice(0, k - 1), parts.slice(k - 1).join(str(sep))] : parts;
    const out: GoMap = {};
    kept.forEach((p, i) => (out['_' + i] = p));
    return out;
  }),
  toStrings: fn(['any'], ([v]) => strslice(v)),
  until: fn(['int'], ([c]) => (int(c) < 0 ? until(0, int(c), -1) : until(0, int(c), 1))),
  untilStep: fn(['int', 'int', 'int'], ([a, b, c]) => until(int(a), int(b), int(c))),
  add1: fn(['any'], ([v]) => toInt64(v) + 1),
  add: fn([], (args) => args.reduce<number>((a, b) => a + toInt64(b), 0), 'any'),
  sub: fn(['any', 'any'], ([a, b]) => toInt64(a) - toInt64(b)),
  div: fn(['any', 'any'], ([a, b]) => {
    if (toInt64(b) === 0) throw new FuncError('runtime error: integer divide by zero');
    return Math.trunc(toInt64(a) / toInt64(b));
  }),
  mod: fn(['any', 'any'], ([a, b]) => {
    if (toInt64(b) === 0) throw new FuncError('runtime error: integer divide by zero');
    return toInt64(a) % toInt64(b);
  }),
  mul: fn(['any'], ([a, ...rest]) => rest.reduce<number>((x, b) => x * toInt64(b), toInt64(a)), 'any'),
  biggest: fn(['any'], ([a, ...rest]) => rest.reduce<number>((x, b) => Math.max(x, toInt64(b)), toInt64(a)), 'any'),
  max: fn(['any'], ([a, ...rest]) => rest.reduce<number>((x, b) => Math.max(x, toInt64(b)), toInt64(a)), 'any'),
  min: fn(['any'], ([a, ...rest]) => rest.reduce<number>((x, b) => Math.min(x, toInt64(b)), toInt64(a)), 'any'),
  maxf: fn(['any'], ([a, ...rest]) => new GoFloat(rest.reduce<number>((x, b) => Math.max(x, toFloat64(b)), toFloat64(a))), 'any'),
  minf: fn(['any'], ([a, ...rest]) => new GoFloat(rest.reduce<number>((x, b) => Math.min(x, toFloat64(b)), toFloat64(a))), 'any'),
  ceil: fn(['any'], ([a]) => new GoFloat(Math.ceil(toFloat64(a)))),
  floor: fn(['any'], ([a]) => new GoFloat(Math.floor(toFloat64(a)))),
  round: fn(['any', 'int'], ([a, p, r]) => {
    const roundOn = r === undefined ? 0.5 : toFloat64(r);
    const pow = Math.pow(10, int(p));
    const digit = pow * toFloat64(a);
    const [, frac] = [Math.trunc(digit), digit - Math.trunc(digit)];
    const rounder = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
    return new GoFloat(rounder / pow);
  }, 'float'),
  // lists of strings
  join: fn(['string', 'any'], ([sep, v]) => strslice(v).join(str(sep))),
  sortAlpha: fn(['any'], ([v]) => {
    if (!Array.isArray(v)) return [strval(v)];
    return strslice(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }),
  // defaults
  default: fn(['any'], ([d, ...given]) => (given.length === 0 || empty(given[0]) ? d : given[0]), 'any'),
  empty: fn(['any'], ([v]) => empty(v)),
  coalesce: fn([], (args) => args.find((v) => !empty(v)) ?? null, 'any'),
  all: fn([], (args) => args.every((v) => !empty(v)), 'any'),
  any: fn([], (args) => args.some((v) => !empty(v)), 'any'),
  compact: fn(['any'], ([v]) => list(v, 'compact').filter((x) => !empty(x))),
  mustCompact: fn(['any'], ([v]) => list(v, 'compact').filter((x) => !empty(x))),
  fromJson: fn(['string'], ([s]) => {
    try {
      return fromJsonValue(JSON.parse(str(s)));
    } catch {
      return {};
    }
  }),
  mustFromJson: fn(['string'], ([s]) => {
    try {
      return fromJsonValue(JSON.parse(str(s)));
    } catch (e) {
      throw new FuncError((e as Error).message);
    }
  }),
  toJson: fn(['any'], ([v]) => goJson(v)),
  mustToJson: fn(['any'], ([v]) => goJson(v)),
  toPrettyJson: fn(['any'], ([v]) => goJson(v, { indent: '  ' })),
  mustToPrettyJson: fn(['any'], ([v]) => goJson(v, { indent: '  ' })),
  toRawJson: fn(['any'], ([v]) => goJson(v, { raw: true })),
  mustToRawJson: fn(['any'], ([v]) => goJson(v, { raw: true })),
  ternary: fn(['any', 'any', 'bool'], ([t, f, c]) => (c ? t : f)),
  // reflection
  typeOf: fn(['any'], ([v]) => typeName(v)),
  typeIs: fn(['string', 'any'], ([t, v]) => typeName(v) === t),
  typeIsLike: fn(['string', 'any'], ([t, v]) => typeName(v) === t || '*' + typeName(v) === t),
  kindOf: fn(['any'], ([v]) => goKind(v)),
  kindIs: fn(['string', 'any'], ([t, v]) => goKind(v) === t),
  deepEqual: fn(['any', 'any'], ([a, b]) => deepEqual(a, b)),
  // paths (the operator runs on Linux: filepath is path)
  base: fn(['string'], ([p]) => pathBase(str(p))),
  dir: fn(['string'], ([p]) => pathDir(str(p))),
  clean: fn(['string'], ([p]) => pathClean(str(p))),
  ext: fn(['string'], ([p]) => pathExt(str(p))),
  isAbs: fn(['string'], ([p]) => str(p).startsWith('/')),
  osBase: fn(['string'], ([p]) => pathBase(str(p))),
  osClean: fn(['string'], ([p]) => pathClean(str(p))),
  osDir: fn(['string'], ([p]) => pathDir(str(p))),
  osExt: fn(['string'], ([p]) => pathExt(str(p))),
  osIsAbs: fn(['string'], ([p]) => str(p).startsWith('/')),
  // encodings
  b64enc: fn(['string'], ([s]) => Buffer.from(str(s), 'utf8').toString('base64')),
  b64dec: fn(['string'], ([s]) => {
    const t = str(s);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return `illegal base64 data at input byte ${Math.max(0, t.search(/[^A-Za-z0-9+/=]/))}`;
    return Buffer.from(t, 'base64').toString('utf8');
  }),
  b32enc: fn(['string'], ([s]) => base32(Buffer.from(str(s), 'utf8'))),
  b32dec: unsupported('b32dec'),
  // data structures
  tuple: fn([], (args) => [...args], 'any'),
  list: fn([], (args) => [...args], 'any'),
  dict: fn([], (args) => dict(args), 'any'),
  get: fn(['map', 'string'], ([d, k]) => (d && Object.prototype.hasOwnProperty.call(d, str(k)) ? (d as GoMap)[str(k)] : '')),
  set: fn(['map', 'string', 'any'], ([d, k, v]) => {
    if (!d) throw new FuncError('assignment to entry in nil map');
    (d as GoMap)[str(k)] = v;
    return d;
  }),
  unset: fn(['map', 'string'], ([d, k]) => {
    if (d) delete (d as GoMap)[str(k)];
    return d;
  }),
  hasKey: fn(['map', 'string'], ([d, k]) => !!d && Object.prototype.hasOwnProperty.call(d, str(k))),
  pluck: fn(['string'], ([k, ...ds]) => ds.filter((d) => isMap(d ?? null) && Object.prototype.hasOwnProperty.call(d, str(k))).map((d) => (d as GoMap)[str(k)]), 'map'),
  keys: fn([], (ds) => ds.flatMap((d) => (d ? Object.keys(d as GoMap) : [])), 'map'),
  pick: fn(['map'], ([d, ...ks]) => {
    const out: GoMap = {};
    for (const k of ks) if (d && Object.prototype.hasOwnProperty.call(d, str(k))) out[str(k)] = (d as GoMap)[str(k)];
    return out;
  }, 'string'),
  omit: fn(['map'], ([d, ...ks]) => {
    const out: GoMap = {};
    const drop = new Set(ks.map(str));
    for (const [k, v] of Object.entries((d ?? {}) as GoMap)) if (!drop.has(k)) out[k] = v;
    return out;
  }, 'string'),
  values: fn(['map'], ([d]) => Object.values((d ?? {}) as GoMap)),
  dig: fn(['any'], (args) => {
    const dict = args[args.length - 1];
    const def = args[args.length - 2];
    const keys = args.slice(0, -2).map(strval);
    let cur: GoValue = dict;
    for (const k of keys) {
      if (!isMap(cur ?? null) || !Object.prototype.hasOwnProperty.call(cur, k)) return def;
      cur = (cur as GoMap)[k];
    }
    return cur;
  }, 'any'),
  append: fn(['any', 'any'], ([l, v]) => [...list(l, 'push'), v]),
  push: fn(['any', 'any'], ([l, v]) => [...list(l, 'push'), v]),
  mustAppend: fn(['any', 'any'], ([l, v]) => [...list(l, 'push'), v]),
  mustPush: fn(['any', 'any'], ([l, v]) => [...list(l, 'push'), v]),
  prepend: fn(['any', 'any'], ([l, v]) => [v, ...list(l, 'prepend')]),
  mustPrepend: fn(['any', 'any'], ([l, v]) => [v, ...list(l, 'prepend')]),
  first: fn(['any'], ([l]) => (list(l, 'first').length ? (l as GoValue[])[0] : null)),
  mustFirst: fn(['any'], ([l]) => (list(l, 'first').length ? (l as GoValue[])[0] : null)),
  rest: fn(['any'], ([l]) => (list(l, 'rest').length ? (l as GoValue[]).slice(1) : null)),
  mustRest: fn(['any'], ([l]) => (list(l, 'rest').length ? (l as GoValue[]).slice(1) : null)),
  last: fn(['any'], ([l]) => (list(l, 'last').length ? (l as GoValue[])[(l as GoValue[]).length - 1] : null)),
  mustLast: fn(['any'], ([l]) => (list(l, 'last').length ? (l as GoValue[])[(l as GoValue[]).length - 1] : null)),
  initial: fn(['any'], ([l]) => (list(l, 'initial').length ? (l as GoValue[]).slice(0, -1) : null)),
  mustInitial: fn(['any'], ([l]) => (list(l, 'initial').length ? (l as GoValue[]).slice(0, -1) : null)),
  reverse: fn(['any'], ([l]) => [...list(l, 'reverse')].reverse()),
  mustReverse: fn(['any'], ([l]) => [...list(l, 'reverse')].reverse()),
  uniq: fn(['any'], ([l]) => list(l, 'uniq').filter((x, i, a) => a.findIndex((y) => deepEqual(x, y)) === i)),
  mustUniq: fn(['any'], ([l]) => list(l, 'uniq').filter((x, i, a) => a.findIndex((y) => deepEqual(x, y)) === i)),
  without: fn(['any'], ([l, ...omit]) => list(l, 'without').filter((x) => !omit.some((o) => deepEqual(x, o))), 'any'),
  mustWithout: fn(['any'], ([l, ...omit]) => list(l, 'without').filter((x) => !omit.some((o) => deepEqual(x, o))), 'any'),
  has: fn(['any', 'any'], ([needle, hay]) => (hay === null || hay === undefined ? false : list(hay, 'has').some((x) => deepEqual(x, needle)))),
  mustHas: fn(['any', 'any'], ([needle, hay]) => (hay === null || hay === undefined ? false : list(hay, 'has').some((x) => deepEqual(x, needle)))),
  slice: fn(['any'], ([l, ...ix]) => {
    const items = list(l, 'slice');
    const lo = ix.length > 0 ? toInt64(ix[0]) : 0;
    const hi = ix.length > 1 ? toInt64(ix[1]) : items.length;
    if (lo < 0 || hi > items.length || lo > hi) throw new FuncError(`runtime error: slice bounds out of range [${lo}:${hi}]`);
    return items.slice(lo, hi);
  }, 'any'),
  mustSlice: fn(['any'], ([l, ...ix]) => {
    const items = list(l, 'slice');
    const lo = ix.length > 0 ? toInt64(ix[0]) : 0;
    const hi = ix.length > 1 ? toInt64(ix[1]) : items.length;
    if (lo < 0 || hi > items.length || lo > hi) throw new FuncError(`runtime error: slice bounds out of range [${lo}:${hi}]`);
    return items.slice(lo, hi);
  }, 'any'),
  concat: fn([], (ls) => ls.flatMap((l) => (Array.isArray(l) ? l : l === null || l === undefined ? [] : list(l, 'concat'))), 'any'),
  chunk: fn(['int', 'any'], ([n, l]) => {
    const items = list(l, 'chunk');
    const size = int(n);
    const out: GoValue[] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  }),
  mustChunk: fn(['int', 'any'], ([n, l]) => {
    const items = list(l, 'chunk');
    const out: GoValue[] = [];
    for (let i = 0; i < items.length; i += int(n)) out.push(items.slice(i, i + int(n)));
    return out;
  }),
  // flow control
  fail: fn(['string'], ([m]) => {
    throw new FuncError(str(m));
  }),
  // regular expressions
  regexMatch: fn(['string', 'string'], ([re, s]) => {
    try {
      return goRegexp(str(re)).test(str(s));
    } catch {
      return false;
    }
  }),
  mustRegexMatch: fn(['string', 'string'], ([re, s]) => goRegexp(str(re)).test(str(s))),
  regexFindAll: fn(['string', 'string', 'int'], ([re, s, n]) => findAll(goRegexp(str(re)), str(s), int(n))),
  mustRegexFindAll: fn(['string', 'string', 'int'], ([re, s, n]) => findAll(goRegexp(str(re)), str(s), int(n))),
  regexFind: fn(['string', 'string'], ([re, s]) => findAll(goRegexp(str(re)), str(s), 1)[0] ?? ''),
  mustRegexFind: fn(['string', 'string'], ([re, s]) => findAll(goRegexp(str(re)), str(s), 1)[0] ?? ''),
  regexReplaceAll: fn(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegexp(str(re)), str(s), (m) => expand(str(r), m))),
  mustRegexReplaceAll: fn(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegexp(str(re)), str(s), (m) => expand(str(r), m))),
  regexReplaceAllLiteral: fn(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegexp(str(re)), str(s), () => str(r))),
  mustRegexReplaceAllLiteral: fn(['string', 'string', 'string'], ([re, s, r]) => replaceAll(goRegexp(str(re)), str(s), () => str(r))),
  regexSplit: fn(['string', 'string', 'int'], ([re, s, n]) => regexSplit(goRegexp(str(re)), str(s), int(n))),
  mustRegexSplit: fn(['string', 'string', 'int'], ([re, s, n]) => regexSplit(goRegexp(str(re)), str(s), int(n))),
  regexQuoteMeta: fn(['string'], ([s]) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')),
  ...Object.fromEntries(UNSUPPORTED.map((n) => [n, unsupported(n)])),
};

function regexSplit(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (n > 0 && out.length === n - 1) break;
    if (m[0].length === 0) {
      re.lastIndex++;
      if (m.index === 0 || m.index >= s.length) continue;
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

function goKind(v: GoValue): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoFloat) return 'float64';
  return Array.isArray(v) ? 'slice' : 'map';
}

export function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const x of Buffer.from(s, 'utf8')) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function base32(buf: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
