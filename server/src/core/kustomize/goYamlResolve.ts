// How go-yaml resolves a plain scalar's text (its `resolve` for untagged plain scalars), the one place that decides
// it for both directions: reading (kustomize reads with go-yaml v3: YAML 1.1 octal `0755`, `0b101`, `1_000`, Go's
// timestamp layouts) and printing (kubectl prints through go-yaml v2, which quotes every string that would read back
// as something else, the YAML 1.1 booleans `yes`/`no`/`on`/`off`/`y`/`n` and base-60 numbers `1:20` included).
import type { Json } from './types';

/** go-yaml's resolve table: only texts starting with one of these characters can be anything but a string. */
function hint(s: string): 'M' | 'D' | '.' | undefined {
  if (s === '') return 'M';
  const c = s[0];
  if ('+-0123456789'.includes(c)) return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return undefined;
}

const NULLS = ['', '~', 'null', 'Null', 'NULL'];
const BOOLS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];
const SPECIAL_FLOATS = ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'];
/** YAML 1.1 booleans: go-yaml v2 resolves them as booleans; v3 reads them as strings but still quotes them. */
const OLD_BOOLS = ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'];
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** An unsigned decimal integer of at most 15 digits (below 2^53: exact as a Number), no leading zero (Go: octal). */
const SHORT_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): sign, 0x / 0o / 0b / leading-0 octal prefixes. */
function goParseInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  let digits: bigint;
  if (/^0[xXoObB]/.test(body)) digits = BigInt(body.toLowerCase());
  else if (body.length > 1 && body[0] === '0') digits = BigInt('0o' + body.slice(1));
  else digits = BigInt(body);
  const v = m[1] === '-' ? -digits : digits;
  if (v >= INT64_MIN && v <= INT64_MAX) return v;
  if (m[1] === '' && v <= UINT64_MAX) return v; // ParseUint takes no sign
  return undefined;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// go-yaml's timestamp layouts, as Go's time.Parse reads them (1- or 2-digit fields, a layout space matches a run of
// spaces, any number of fraction digits, `.` or `,` before them): "2006-1-2T15:4:5.999999999Z07:00" (also with `t`),
// "2006-1-2 15:4:5.999999999", "2006-1-2".
const TS_ZONED = /^(\d{4})-(\d\d?)-(\d\d?)[Tt](\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?(Z|[-+]\d\d:\d\d)$/;
const TS_SPACED = /^(\d{4})-(\d\d?)-(\d\d?) +(\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?$/;
const TS_DATE = /^(\d{4})-(\d\d?)-(\d\d?)$/;

/**
 * The time a plain scalar means to go-yaml, as kustomize prints it (Go's RFC 3339 with nanoseconds, trailing zeros
 * of the fraction dropped), or undefined when go-yaml does not read it as a timestamp (`2024-02-30`, `25:00`,
 * `2001-12-14 21:59:43.10 -5` stay strings).
 */
export function goYamlTimestamp(s: string): string | undefined {
  const m = TS_ZONED.exec(s) ?? TS_SPACED.exec(s) ?? TS_DATE.exec(s);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  const pad = (x: number) => String(x).padStart(2, '0');
  const date = `${m[1]}-${pad(month)}-${pad(day)}`;
  if (m[4] === undefined) return `${date}T00:00:00Z`;
  const [hour, min, sec] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || min > 59 || sec > 59) return undefined;
  const fraction = (m[7] ?? '').slice(0, 9).replace(/0+$/, '');
  const zone = m[8] && m[8] !== 'Z' ? m[8] : 'Z';
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return undefined;
  const utc = zone === 'Z' || zone.slice(1) === '00:00'; // Go prints a zero offset as Z
  return `${date}T${pad(hour)}:${pad(min)}:${pad(sec)}${fraction ? '.' + fraction : ''}${utc ? 'Z' : zone}`;
}

/** A number go-yaml v3 reads from a plain scalar the YAML 1.2 core schema leaves a string (or reads otherwise). */
function goYamlNumber(s: string): number | undefined {
  if (hint(s) !== 'D') return undefined;
  // Most numbers of a manifest (ports, replicas): a decimal Number reads as Go does, no BigInt made (goParseInt).
  if (SHORT_DECIMAL.test(s)) return Number(s);
  const plain = s.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== undefined) return Number(int);
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return Number(plain);
  return undefined;
}

/**
 * The JSON value kustomize takes from a plain scalar that the `yaml` package (YAML 1.2 core schema) read as the
 * string `s`, or as a number whose text was `s`: go-yaml v3's reading (octal `0755`, `0b101`, `1_000`, `-0x1F`,
 * timestamps in Go's layouts → RFC 3339 strings). Anything else stays as it was read.
 */
export function goYamlPlainScalar(s: string): Json {
  const ts = /^\d{4}-/.test(s) ? goYamlTimestamp(s) : undefined;
  if (ts !== undefined) return ts;
  return goYamlNumber(s) ?? s;
}

/**
 * True when go-yaml v2 (kubectl's printer) must quote the string `s`: unquoted it would read back as a null,
 * boolean (YAML 1.1's `yes`/`off`… too), number, timestamp or merge key, or it looks like a base-60 number.
 */
export function goYamlNeedsQuotes(s: string): boolean {
  const h = hint(s);
  if (h !== undefined) {
    if (NULLS.includes(s) || BOOLS.includes(s) || OLD_BOOLS.includes(s) || SPECIAL_FLOATS.includes(s)) return true;
    if (h === '.' && /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) return true;
    if (h === 'D') {
      if (/^\d{4}-/.test(s) && goYamlTimestamp(s) !== undefined) return true;
      const plain = s.replace(/_/g, '');
      if (goParseInt(plain) !== undefined) return true;
      if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return true;
    }
  }
  return /^[-+0-9]/.test(s) && s.includes(':') && BASE60_FLOAT.test(s);
}
