// One `.sourceignore` line as Flux's source-controller reads it (fluxcd/pkg/sourceignore, on go-git's gitignore
// patterns). Not git's own rules, and not the `ignore` package's: every path is decided on its own, the last pattern
// that matches it wins, and nothing stops a `!pattern` from bringing back a file below an excluded folder (the archive
// walk visits every file; an excluded folder only loses its own entry). A pattern is relative to its domain (the
// folder of its `.sourceignore`); one without a `/` matches any path element below it, a folder's name thus every
// file inside; one with a `/` is matched element by element from the domain, `**` crossing any number of them, and
// also matches everything below what it names. Each element is matched like Go's filepath.Match.

export type PatternResult = 'exclude' | 'include' | undefined;

export interface IgnorePattern {
  /** Path elements of the folder the pattern is relative to (from the source root). */
  domain: readonly string[];
  elements: string[];
  /** `!pattern`: brings a path back. */
  include: boolean;
  /** `pattern/`: the last element must be a folder. */
  dirOnly: boolean;
  /** Holds a `/`: matched element by element from the domain (else: any element). */
  anchored: boolean;
  /** Each element compiled (null: malformed, never matches, as Go's ErrBadPattern makes it fail). */
  compiled: Array<ElementMatcher | null>;
}

/** One element of a pattern, matched against one path element (a RegExp, or a plain test for the common forms). */
export interface ElementMatcher {
  test(name: string): boolean;
}

/** A line of a `.sourceignore` or `spec.ignore` (comments and blank lines are the caller's to skip). */
export function parsePattern(line: string, domain: readonly string[]): IgnorePattern {
  let p = line;
  const include = p.startsWith('!');
  if (include) p = p.slice(1);
  // Trailing blanks go, unless the last one is escaped.
  if (!p.endsWith('\\ ')) p = p.replace(/ +$/, '');
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.slice(0, -1);
  const elements = p.split('/');
  return { domain, elements, include, dirOnly, anchored: p.includes('/'), compiled: elements.map((e) => (e === '' || e === '**' ? null : compileElement(e))) };
}

/** The lines of an ignore text that are patterns (`#` comments and blank lines skipped; CR of CRLF dropped). */
export function patternLines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => !l.startsWith('#') && l.trim() !== '');
}

/** What `pattern` says of `path` (elements from the source root). */
export function matchPattern(pattern: IgnorePattern, path: readonly string[], isDir: boolean): PatternResult {
  const { domain } = pattern;
  if (path.length <= domain.length) return undefined;
  for (let i = 0; i < domain.length; i++) if (path[i] !== domain[i]) return undefined;
  // (read only below: a pattern of the source's root, as every default is, takes the path itself)
  const rest = domain.length ? path.slice(domain.length) : path;
  const hit = pattern.anchored ? anchoredMatch(pattern, rest, isDir) : nameMatch(pattern, rest, isDir);
  return hit ? (pattern.include ? 'include' : 'exclude') : undefined;
}

/** Decides by the first element that matches: a `dir/` pattern matching only the last element of a file fails. */
function nameMatch(p: IgnorePattern, path: readonly string[], isDir: boolean): boolean {
  for (let i = 0; i < path.length; i++) {
    if (!elementMatch(p.compiled[0], path[i])) continue;
    return !(p.dirOnly && !isDir && i === path.length - 1);
  }
  return false;
}

function anchoredMatch(p: IgnorePattern, path: readonly string[], isDir: boolean): boolean {
  let rest = path;
  let matched = false;
  let traverse = false;
  for (let i = 0; i < p.elements.length; i++) {
    const el = p.elements[i];
    if (el === '') {
      traverse = false;
      continue;
    }
    if (el === '**') {
      if (i === p.elements.length - 1) break;
      traverse = true;
      continue;
    }
    if (el.includes('**')) return false;
    if (rest.length === 0) return false;
    if (traverse) {
      traverse = false;
      // The first element at or after here that matches; none: no match.
      let found = false;
      while (rest.length > 0) {
        const head = rest[0];
        rest = rest.slice(1);
        if (elementMatch(p.compiled[i], head)) {
          found = true;
          break;
        }
      }
      matched = found;
      if (!found) return false;
    } else {
      if (!elementMatch(p.compiled[i], rest[0])) return false;
      matched = true;
      rest = rest.slice(1);
    }
  }
  if (matched && p.dirOnly && !isDir && rest.length === 0) return false;
  return matched;
}

function elementMatch(m: ElementMatcher | null, name: string): boolean {
  return m !== null && m.test(name);
}

/** Pattern characters of Go's filepath.Match: an element without them is matched as written. */
const SPECIAL = /[*?[\\]/;

/**
 * The element as a matcher: a literal (`.travis.yml`), `*` and a literal (`*.tar.gz`, Flux's defaults) or a literal
 * and `*` compare strings, anything else is the regular expression. Every read of every build asks each pattern of
 * its source: the defaults' regular expressions were a tenth of a whole check's folder builds.
 */
export function compileElement(pattern: string): ElementMatcher | null {
  if (!SPECIAL.test(pattern)) return { test: (name) => name === pattern };
  const tail = pattern.slice(1);
  if (pattern[0] === '*' && !SPECIAL.test(tail)) return { test: (name) => name.endsWith(tail) };
  const head = pattern.slice(0, -1);
  if (pattern.endsWith('*') && !SPECIAL.test(head)) return { test: (name) => name.startsWith(head) };
  return compileElementRe(pattern);
}

const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const codePoint = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** Go's filepath.Match syntax (`*`, `?`, `[^a-z]`, `\x`) as an anchored regular expression; null when malformed. */
export function compileElementRe(pattern: string): RegExp | null {
  const chars = [...pattern];
  let out = '';
  let i = 0;
  const esc = (): string | null => {
    // One character of a class: `\x` is x; an unescaped `-` or `]` here is malformed.
    if (i >= chars.length) return null;
    let c = chars[i];
    if (c === '-' || c === ']') return null;
    if (c === '\\') {
      i++;
      if (i >= chars.length) return null;
      c = chars[i];
    }
    i++;
    return c;
  };
  while (i < chars.length) {
    const c = chars[i];
    if (c === '*') {
      out += '[^/]*';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= chars.length) return null;
      out += escapeRe(chars[i + 1]);
      i += 2;
    } else if (c === '[') {
      i++;
      let negated = false;
      if (chars[i] === '^') {
        negated = true;
        i++;
      }
      const ranges: string[] = [];
      let n = 0;
      for (;;) {
        if (i < chars.length && chars[i] === ']' && n > 0) {
          i++;
          break;
        }
        const lo = esc();
        if (lo === null) return null;
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          const h = esc();
          if (h === null) return null;
          hi = h;
        }
        n++;
        // A reversed range is valid in Go and matches nothing.
        if (lo.codePointAt(0)! <= hi.codePointAt(0)!) ranges.push(`${codePoint(lo)}-${codePoint(hi)}`);
      }
      out += `[${negated ? '^' : ''}${ranges.join('')}]`;
    } else {
      out += escapeRe(c);
      i++;
    }
  }
  return new RegExp(`^${out}$`, 'su');
}
