// Go text/template's lexer (text/template/parse/lex.go) with configurable delimiters: text, actions with trim
// markers (`<<- ` trims the whitespace before, ` ->>` the whitespace after), comments, and the action tokens.
// Offsets are UTF-16 offsets into the template text; errors are tokens, never exceptions.

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'comment'
  | 'space'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'bool'
  | 'nil'
  | 'number'
  | 'string'
  | 'rawString'
  | 'char'
  | 'dot'
  | 'declare'
  | 'assign'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'comma'
  | 'eof'
  | 'error';

export interface Token {
  type: TokenType;
  /** The token's text (for `text`, after trimming; for `error`, the message). */
  val: string;
  pos: number;
  end: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c));

export function lex(input: string, leftDelim = '{{', rightDelim = '}}'): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  let parenDepth = 0;

  const emit = (type: TokenType, start: number, end: number, val = input.slice(start, end)) => out.push({ type, val, pos: start, end });
  const fail = (msg: string, at: number) => {
    out.push({ type: 'error', val: msg, pos: at, end: Math.max(at + 1, Math.min(input.length, at + 1)) });
  };

  const atRightDelim = (p: number): { delim: boolean; trim: boolean } => {
    if (isSpace(input[p]) && input[p + 1] === '-' && input.startsWith(rightDelim, p + 2)) return { delim: true, trim: true };
    if (input.startsWith(rightDelim, p)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const atTerminator = (p: number) => {
    const c = input[p];
    if (c === undefined || isSpace(c) || '.,|:)('.includes(c)) return true;
    return input.startsWith(rightDelim, p);
  };

  /** After a right delimiter: past the trim marker and delimiter, and past the whitespace a trim marker removes. */
  const closeAction = (p: number, trim: boolean): number => {
    const start = p;
    const end = p + (trim ? 2 : 0) + rightDelim.length;
    emit('rightDelim', start, end, rightDelim);
    trimNextText = trim;
    return end;
  };

  while (pos <= input.length) {
    // ---- text up to the next left delimiter
    let textStart = pos;
    if (trimNextText) {
      while (isSpace(input[textStart])) textStart++;
      trimNextText = false;
    }
    const ld = input.indexOf(leftDelim, textStart);
    if (ld < 0) {
      if (textStart < input.length) emit('text', textStart, input.length);
      emit('eof', input.length, input.length, '');
      return out;
    }
    const trimLeft = input[ld + leftDelim.length] === '-' && isSpace(input[ld + leftDelim.length + 1]);
    let textEnd = ld;
    if (trimLeft) while (textEnd > textStart && isSpace(input[textEnd - 1])) textEnd--;
    if (textEnd > textStart) emit('text', textStart, textEnd);
    // ---- the action
    let p = ld + leftDelim.length + (trimLeft ? 2 : 0);
    if (input.startsWith('/*', p)) {
      const close = input.indexOf('*/', p + 2);
      if (close < 0) {
        fail('unclosed comment', ld);
        return out;
      }
      const after = close + 2;
      const rd = atRightDelim(after);
      if (!rd.delim) {
        fail('comment ends before closing delimiter', ld);
        return out;
      }
      emit('comment', ld, after, input.slice(p, after));
      pos = after + (rd.trim ? 2 : 0) + rightDelim.length;
      trimNextText = rd.trim;
      continue;
    }
    emit('leftDelim', ld, p, leftDelim);
    parenDepth = 0;
    // ---- inside the action
    for (;;) {
      const rd = atRightDelim(p);
      if (rd.delim) {
        if (parenDepth > 0) {
          fail('unclosed left paren', p);
          return out;
        }
        pos = closeAction(p, rd.trim);
        break;
      }
      const c = input[p];
      if (c === undefined) {
        fail('unclosed action', ld);
        return out;
      }
      if (isSpace(c)) {
        let e = p;
        while (isSpace(input[e]) && !atRightDelim(e).trim) e++;
        // A space that starts ` ->>` belongs to the delimiter.
        if (e === p) e = p + 1;
        emit('space', p, e);
        p = e;
        continue;
      }
      if (c === '=') {
        emit('assign', p, p + 1);
        p++;
        continue;
      }
      if (c === ':') {
        if (input[p + 1] !== '=') {
          fail('expected :=', p);
          return out;
        }
        emit('declare', p, p + 2);
        p += 2;
        continue;
      }
      if (c === '|') {
        emit('pipe', p, p + 1);
        p++;
        continue;
      }
      if (c === ',') {
        emit('comma', p, p + 1);
        p++;
        continue;
      }
      if (c === '(') {
        parenDepth++;
        emit('leftParen', p, p + 1);
        p++;
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) {
          fail('unexpected right paren', p);
          return out;
        }
        emit('rightParen', p, p + 1);
        p++;
        continue;
      }
      if (c === '"' || c === "'") {
        // A quoted string or a character constant: escapes skip a character; neither may span lines.
        const e = quotedEnd(input, p);
        if (e === undefined) {
          fail(c === '"' ? 'unterminated quoted string' : 'unterminated character constant', p);
          return out;
        }
        emit(c === '"' ? 'string' : 'char', p, e);
        p = e;
        continue;
      }
      if (c === '`') {
        const e = input.indexOf('`', p + 1);
        if (e < 0) {
          fail('unterminated raw quoted string', p);
          return out;
        }
        emit('rawString', p, e + 1);
        p = e + 1;
        continue;
      }
      if (c === '$') {
        let e = p + 1;
        while (isAlnum(input[e])) e++;
        emit('variable', p, e);
        p = e;
        continue;
      }
      if (c === '.') {
        const d = input[p + 1];
        if (d !== undefined && d >= '0' && d <= '9') {
          const e = scanNumber(input, p);
          if (e < 0 || !atTerminator(e)) {
            fail(`bad number syntax: "${input.slice(p, Math.abs(e))}"`, p);
            return out;
          }
          emit('number', p, e);
          p = e;
          continue;
        }
        if (isAlnum(d)) {
          let e = p + 1;
          while (isAlnum(input[e])) e++;
          if (!atTerminator(e)) {
            fail(`bad character ${goRune(input[e])}`, e);
            return out;
          }
          emit('field', p, e);
          p = e;
          continue;
        }
        emit('dot', p, p + 1);
        p++;
        continue;
      }
      if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
        const e = scanNumber(input, p);
        if (e < 0 || !atTerminator(e)) {
          const bad = e < 0 ? -e : e;
          let stop = bad;
          while (isAlnum(input[stop]) || input[stop] === '.') stop++;
          fail(`bad number syntax: "${input.slice(p, Math.max(stop, p + 1))}"`, p);
          return out;
        }
        emit('number', p, e);
        p = e;
        continue;
      }
      if (isAlnum(c)) {
        let e = p;
        while (isAlnum(input[e])) e++;
        if (!atTerminator(e)) {
          fail(`bad character ${goRune(input[e])}`, e);
          return out;
        }
        const word = input.slice(p, e);
        if (word === 'true' || word === 'false') emit('bool', p, e);
        else if (word === 'nil') emit('nil', p, e);
        else if (KEYWORDS.has(word)) emit('keyword', p, e);
        else emit('identifier', p, e);
        p = e;
        continue;
      }
      fail(`unrecognized character in action: ${goRune(c)}`, p);
      return out;
    }
  }
  emit('eof', input.length, input.length, '');
  return out;
}

function goRune(c: string | undefined): string {
  if (c === undefined) return 'EOF';
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/** Go's lexer scanNumber: sign, 0x/0o/0b prefixes, digits with `_`, fraction, exponent, imaginary `i`. The end
 *  offset, or a negative offset when the text is no number. */
function scanNumber(s: string, p: number): number {
  let i = p;
  if (s[i] === '+' || s[i] === '-') i++;
  let digits = '0123456789_';
  if (s[i] === '0' && /[xXoObB]/.test(s[i + 1] ?? '')) {
    const x = s[i + 1].toLowerCase();
    digits = x === 'x' ? '0123456789abcdefABCDEF_' : x === 'o' ? '01234567_' : '01_';
    i += 2;
  }
  const start = i;
  while (s[i] !== undefined && digits.includes(s[i])) i++;
  if (s[i] === '.') {
    i++;
    while (s[i] !== undefined && digits.includes(s[i])) i++;
  }
  if (i === start || (i === start + 1 && s[start] === '.')) return -i;
  if (digits.length === 11 && (s[i] === 'e' || s[i] === 'E')) {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    while (s[i] !== undefined && '0123456789_'.includes(s[i])) i++;
  }
  if (s[i] === 'i') i++;
  if (isAlnum(s[i])) return -i;
  return i;
}

/** The end (after the closing quote) of the quoted text starting at `p`, or undefined when a line or the input ends first. */
function quotedEnd(input: string, p: number): number | undefined {
  const quote = input[p];
  for (let e = p + 1; ; ) {
    const d = input[e];
    if (d === '\\') {
      e += 2;
      continue;
    }
    if (d === undefined || d === '\n') return undefined;
    e++;
    if (d === quote) return e;
  }
}
