// Go text/template's predefined functions (text/template/funcs.go): and, or, not, len, index, slice, print, printf,
// println, eq, ne, lt, le, gt, ge, html, js, urlquery. `and` and `or` are evaluated lazily by the executor.
import { FuncError, type FuncMap, type GoFunc } from './exec';
import { byteLength, formatValue, GoFloat, GoInt, isMap, kindOf, num, sprint, truth, typeName, goQuote, formatFloat, type GoValue } from './values';

const fn = (params: GoFunc['params'], call: GoFunc['call'], variadic?: GoFunc['variadic']): GoFunc => ({ params, call, variadic });

type Basic = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';
function basicKind(v: GoValue): Basic {
  const k = kindOf(v);
  return k === 'slice' || k === 'map' ? 'other' : k;
}

function eq(a: GoValue, ...bs: GoValue[]): boolean {
  if (bs.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of bs) {
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new FuncError('incompatible types for comparison');
    } else if (k1 === 'other') {
      throw new FuncError(`non-comparable type ${formatValue(b)}: ${typeName(b)}`);
    } else if (k1 === 'invalid') t = true;
    else if (k1 === 'int' || k1 === 'float') t = num(a) === num(b);
    else t = a === b;
    if (t) return true;
  }
  return false;
}

function less(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (!['int', 'float', 'string'].includes(k1) || !['int', 'float', 'string'].includes(k2)) throw new FuncError('invalid type for comparison');
  if (k1 !== k2) throw new FuncError('incompatible types for comparison');
  if (k1 === 'string') return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0;
  return num(a) < num(b);
}

function indexOf(v: GoValue, i: GoValue, len: number): number {
  if (!(i instanceof GoInt) && !(typeof i === 'number' && Number.isInteger(i))) throw new FuncError(`cannot index slice/array with type ${typeName(i)}`);
  const n = num(i);
  if (n < 0 || n >= len) throw new FuncError(`index out of range: ${n}`);
  return n;
}

function index(item: GoValue, ...idx: GoValue[]): GoValue {
  if (item === null || item === undefined) throw new FuncError('index of untyped nil');
  let v: GoValue = item;
  for (const i of idx) {
    if (v === null || v === undefined) throw new FuncError('index of nil pointer');
    if (Array.isArray(v)) v = v[indexOf(v, i, v.length)];
    else if (typeof v === 'string') v = new GoInt(Buffer.from(v)[indexOf(v, i, byteLength(v))]);
    else if (isMap(v)) {
      if (typeof i !== 'string') throw new FuncError(`value has type ${typeName(i)}; should be string`);
      v = Object.prototype.hasOwnProperty.call(v, i) ? v[i] : undefined;
    } else throw new FuncError(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function slice(item: GoValue, ...idx: GoValue[]): GoValue {
  if (item === null || item === undefined) throw new FuncError('slice of untyped nil');
  if (idx.length > 3) throw new FuncError(`too many slice indexes: ${idx.length}`);
  const len = typeof item === 'string' ? byteLength(item) : Array.isArray(item) ? item.length : -1;
  if (len < 0) throw new FuncError(`can't slice item of type ${typeName(item)}`);
  if (typeof item === 'string' && idx.length === 3) throw new FuncError('cannot 3-index slice a string');
  const ix = idx.map((i) => {
    if (!(i instanceof GoInt) && !(typeof i === 'number' && Number.isInteger(i))) throw new FuncError(`cannot index slice/array with type ${typeName(i)}`);
    const n = num(i);
    if (n < 0 || n > len) throw new FuncError(`index out of range: ${n}`);
    return n;
  });
  const [lo, hi] = [ix[0] ?? 0, ix[1] ?? len];
  if (lo > hi) throw new FuncError(`invalid slice index: ${lo} > ${hi}`);
  return typeof item === 'string' ? Buffer.from(item).subarray(lo, hi).toString('utf8') : (item as GoValue[]).slice(lo, hi);
}

/** fmt.Sprintf for the verbs templates use (%v %s %q %d %x %X %o %b %f %e %g %t %c %%), flags and width. */
export function sprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    let j = i + 1;
    let flags = '';
    while (j < format.length && '-+# 0'.includes(format[j])) flags += format[j++];
    let width = '';
    while (j < format.length && /[0-9]/.test(format[j])) width += format[j++];
    let prec: number | undefined;
    if (format[j] === '.') {
      j++;
      let p = '';
      while (j < format.length && /[0-9]/.test(format[j])) p += format[j++];
      prec = p === '' ? 0 : Number(p);
    }
    const verb = format[j];
    i = j;
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    let s = formatVerb(verb, a, flags, prec);
    const w = width === '' ? 0 : Number(width);
    if ([...s].length < w) {
      const pad = w - [...s].length;
      if (flags.includes('-')) s = s + ' '.repeat(pad);
      else if (flags.includes('0') && /[dxXobfFeEgG]/.test(verb) && kindOf(a) !== 'string') {
        const sign = /^[-+]/.test(s) ? s[0] : '';
        s = sign + '0'.repeat(pad) + s.slice(sign.length);
      } else s = ' '.repeat(pad) + s;
    }
    out += s;
  }
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${formatValue(a)}`).join(', ')})`;
  return out;
}

function formatVerb(verb: string, a: GoValue, flags: string, prec: number | undefined): string {
  const k = kindOf(a);
  const bad = () => `%!${verb}(${typeName(a)}=${formatValue(a)})`;
  const signed = (s: string, n: number) => (n >= 0 && flags.includes('+') ? '+' + s : n >= 0 && flags.includes(' ') ? ' ' + s : s);
  switch (verb) {
    case 'v':
      return k === 'invalid' ? '<nil>' : formatValue(a);
    case 's':
      if (k === 'string') return prec !== undefined ? [...(a as string)].slice(0, prec).join('') : (a as string);
      return k === 'invalid' ? '%!s(<nil>)' : k === 'slice' || k === 'map' ? formatValue(a) : bad();
    case 'q':
      if (k === 'string') return goQuote(a as string);
      if (k === 'int') return "'" + String.fromCodePoint(num(a)) + "'";
      return bad();
    case 't':
      return k === 'bool' ? String(a) : bad();
    case 'd':
    case 'x':
    case 'X':
    case 'o':
    case 'b':
    case 'c': {
      if (verb === 'x' || verb === 'X') {
        if (k === 'string') {
          const h = Buffer.from(a as string).toString('hex');
          return verb === 'X' ? h.toUpperCase() : h;
        }
      }
      if (k !== 'int') return bad();
      const n = num(a);
      if (verb === 'c') return String.fromCodePoint(n);
      const base = verb === 'd' ? 10 : verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
      let s = Math.abs(n).toString(base);
      if (verb === 'X') s = s.toUpperCase();
      if (flags.includes('#')) s = (verb === 'x' ? '0x' : verb === 'X' ? '0X' : verb === 'o' ? '0' : '') + s;
      return signed(n < 0 ? '-' + s : s, n);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (k !== 'float' && k !== 'int') return bad();
      if (k === 'int' && !(a instanceof GoFloat)) return bad();
      const n = num(a);
      let s: string;
      if (verb === 'f' || verb === 'F') s = n.toFixed(prec ?? 6);
      else if (verb === 'e' || verb === 'E') s = n.toExponential(prec ?? 6).replace(/e([-+])(\d)$/, 'e$10$2');
      else s = prec === undefined ? formatFloat(n) : Number(n.toPrecision(prec)).toString();
      if (verb === 'E' || verb === 'G') s = s.toUpperCase();
      return signed(s, n);
    }
  }
  return `%!${verb}(${typeName(a)}=${formatValue(a)})`;
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}
function jsEscape(s: string): string {
  return s.replace(/[\\'"<>&=\n\r\t\0-\x1f]/g, (c) => {
    const m: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return m[c] ?? '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  });
}
const evalArgs = (args: GoValue[]) => (args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args));

export const BUILTINS: FuncMap = {
  and: fn(['any'], () => null, 'any'),
  or: fn(['any'], () => null, 'any'),
  not: fn(['any'], ([a]) => !truth(a)),
  len: fn(['any'], ([a]) => {
    if (a === null || a === undefined) throw new FuncError('len of untyped nil');
    if (typeof a === 'string') return new GoInt(byteLength(a));
    if (Array.isArray(a)) return new GoInt(a.length);
    if (isMap(a)) return new GoInt(Object.keys(a).length);
    throw new FuncError(`len of type ${typeName(a)}`);
  }),
  index: fn(['any'], ([item, ...idx]) => index(item, ...idx), 'any'),
  slice: fn(['any'], ([item, ...idx]) => slice(item, ...idx), 'any'),
  print: fn([], (args) => sprint(args), 'any'),
  println: fn([], (args) => args.map(formatValue).join(' ') + '\n', 'any'),
  printf: fn(['string'], ([f, ...args]) => sprintf(f as string, args), 'any'),
  eq: fn(['any'], ([a, ...bs]) => eq(a, ...bs), 'any'),
  ne: fn(['any', 'any'], ([a, b]) => !eq(a, b)),
  lt: fn(['any', 'any'], ([a, b]) => less(a, b)),
  le: fn(['any', 'any'], ([a, b]) => less(a, b) || eq(a, b)),
  gt: fn(['any', 'any'], ([a, b]) => !less(a, b) && !eq(a, b)),
  ge: fn(['any', 'any'], ([a, b]) => !less(a, b)),
  html: fn([], (args) => htmlEscape(evalArgs(args)), 'any'),
  js: fn([], (args) => jsEscape(evalArgs(args)), 'any'),
  urlquery: fn([], (args) => encodeURIComponent(evalArgs(args)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()), 'any'),
  call: fn(['any'], () => {
    throw new FuncError('call of a function value is not supported');
  }, 'any'),
};
