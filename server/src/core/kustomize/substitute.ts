// Flux postBuild substitution: bash-like `${var}` expressions (the envsubst dialect kustomize-controller uses).
// Only the braced form is substituted (`$var` is left alone, as Flux documents); `$${var}` escapes to `${var}`.

export interface VariableUse {
  name: string;
  /** Offsets of the whole `${…}` expression in the input. */
  start: number;
  end: number;
  /** The expression's value: undefined when the variable has no value and no default. */
  value?: string;
  /** The variable had no value and a default was used. */
  defaulted: boolean;
}

export interface Substitution {
  text: string;
  uses: VariableUse[];
  /** Set when an expression could not be parsed (Flux fails the build on these). */
  errors: string[];
  /** With `secret`, when a secret variable was used: the text with each such expression replaced by `mask`. */
  masked?: string;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

function globToRegex(glob: string, anchorStart: boolean, anchorEnd: boolean, greedy: boolean): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += greedy ? '.*' : '.*?';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp((anchorStart ? '^' : '') + re + (anchorEnd ? '$' : ''));
}

/** Evaluates one expression body (between `${` and `}`) given the variables. */
function evaluate(body: string, vars: (name: string) => string | undefined): { name: string; value?: string; defaulted: boolean } | { error: string } {
  if (body.startsWith('#')) {
    const name = body.slice(1);
    if (!NAME.test(name) || NAME.exec(name)![0] !== name) return { error: `bad substitution: \${${body}}` };
    const v = vars(name);
    return { name, value: v === undefined ? undefined : String(v.length), defaulted: false };
  }
  const m = NAME.exec(body);
  if (!m) return { error: `bad substitution: \${${body}}` };
  const name = m[0];
  const rest = body.slice(name.length);
  const v = vars(name);
  if (rest === '') return { name, value: v, defaulted: false };
  const op2 = rest.slice(0, 2);
  const op1 = rest[0];
  if (op2 === ':=' || op2 === ':-') return v === undefined || v === '' ? { name, value: rest.slice(2), defaulted: true } : { name, value: v, defaulted: false };
  if (op1 === '=' || op1 === '-') return v === undefined ? { name, value: rest.slice(1), defaulted: true } : { name, value: v, defaulted: false };
  if (v === undefined) return { name, value: undefined, defaulted: false };
  if (op2 === '^^') return { name, value: v.toUpperCase(), defaulted: false };
  if (op1 === '^') return { name, value: v.charAt(0).toUpperCase() + v.slice(1), defaulted: false };
  if (op2 === ',,') return { name, value: v.toLowerCase(), defaulted: false };
  if (op1 === ',') return { name, value: v.charAt(0).toLowerCase() + v.slice(1), defaulted: false };
  if (op1 === ':') {
    const parts = rest.slice(1).split(':');
    const off = Number(parts[0].trim());
    const len = parts.length > 1 ? Number(parts[1].trim()) : undefined;
    if (Number.isNaN(off) || (len !== undefined && Number.isNaN(len))) return { error: `bad substitution: \${${body}}` };
    const start = off < 0 ? Math.max(0, v.length + off) : off;
    return { name, value: len === undefined ? v.slice(start) : v.substr(start, len), defaulted: false };
  }
  if (op2 === '##') return { name, value: v.replace(globToRegex(rest.slice(2), true, false, true), ''), defaulted: false };
  if (op1 === '#') return { name, value: v.replace(globToRegex(rest.slice(1), true, false, false), ''), defaulted: false };
  if (op2 === '%%') return { name, value: removeSuffix(v, rest.slice(2), true), defaulted: false };
  if (op1 === '%') return { name, value: removeSuffix(v, rest.slice(1), false), defaulted: false };
  if (op1 === '/') {
    const all = rest.startsWith('//');
    const spec = rest.slice(all ? 2 : 1);
    const slash = spec.indexOf('/');
    const pattern = slash < 0 ? spec : spec.slice(0, slash);
    const replacement = slash < 0 ? '' : spec.slice(slash + 1);
    const re = globToRegex(pattern, false, false, true);
    return { name, value: all ? v.replace(new RegExp(re.source, 'g'), replacement) : v.replace(re, replacement), defaulted: false };
  }
  return { error: `bad substitution: \${${body}}` };
}

function removeSuffix(v: string, glob: string, longest: boolean): string {
  // Shortest (or longest) suffix matching the glob.
  const re = globToRegex(glob, true, true, true);
  if (longest) {
    for (let i = 0; i <= v.length; i++) if (re.test(v.slice(i))) return v.slice(0, i);
  } else {
    for (let i = v.length; i >= 0; i--) if (re.test(v.slice(i))) return v.slice(0, i);
  }
  return v;
}

/** Finds `${…}` expressions (honouring `$${…}` escapes) without substituting: for hovers and diagnostics. */
export function findVariables(text: string): Array<{ name: string; body: string; start: number; end: number; hasDefault: boolean }> {
  const out: Array<{ name: string; body: string; start: number; end: number; hasDefault: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$' && text[i + 2] === '{') {
      i += 2; // escaped
      continue;
    }
    if (text[i + 1] !== '{') continue;
    const close = text.indexOf('}', i + 2);
    if (close < 0) break;
    const body = text.slice(i + 2, close);
    const name = /^#?([_a-zA-Z][_a-zA-Z0-9]*)/.exec(body)?.[1];
    if (name) {
      const rest = body.replace(/^#?[_a-zA-Z][_a-zA-Z0-9]*/, '');
      out.push({ name, body, start: i, end: close + 1, hasDefault: /^(:=|:-|=|-)/.test(rest) });
    }
    i = close;
  }
  return out;
}

/**
 * Substitutes every `${…}` in `text`. Undefined variables without default become '' (strict mode is the caller's).
 * With `secret` (which variables hold a secret), `masked` is the same text with those expressions shown as `mask`.
 */
export function substitute(text: string, vars: (name: string) => string | undefined, secret?: { is: (name: string) => boolean; mask: string }): Substitution {
  const uses: VariableUse[] = [];
  const errors: string[] = [];
  let out = '';
  let masked = '';
  let anySecret = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$' && text[i + 2] === '{') {
      out += text.slice(last, i) + '$';
      masked += text.slice(last, i) + '$';
      last = i + 2;
      i += 1;
      continue;
    }
    if (text[i + 1] !== '{') continue;
    const close = text.indexOf('}', i + 2);
    if (close < 0) break;
    const r = evaluate(text.slice(i + 2, close), vars);
    if ('error' in r) {
      errors.push(r.error);
      i = close;
      continue;
    }
    uses.push({ name: r.name, start: i, end: close + 1, value: r.value, defaulted: r.defaulted });
    out += text.slice(last, i) + (r.value ?? '');
    const hidden = !!secret && !r.defaulted && r.value !== undefined && secret.is(r.name);
    anySecret ||= hidden;
    masked += text.slice(last, i) + (hidden ? secret!.mask : (r.value ?? ''));
    last = close + 1;
    i = close;
  }
  out += text.slice(last);
  masked += text.slice(last);
  return { text: out, uses, errors, ...(anySecret ? { masked } : {}) };
}
