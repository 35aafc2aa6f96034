// Go text/template's parser (text/template/parse/parse.go): actions, pipelines, variables and their scopes, control
// structures (if / else if / else with / range with break and continue / with), comments. Like Go it rejects, at parse
// time, a function that is not defined and a variable that is not declared. `define`, `template` and `block` are not
// supported (ResourceSets do not use them): a parse error says so.
import type { Arg, Command, Node, Pipe, Span } from './ast';
import { lex, type Token } from './lexer';

export interface ParseFailure {
  message: string;
  span: Span;
  /** Set when the failure is a call of a function that does not exist. */
  unknownFunction?: string;
}

class Failure extends Error {
  constructor(readonly failure: ParseFailure) {
    super(failure.message);
  }
}

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** The names that are functions (Go checks them at parse time). */
  hasFunction: (name: string) => boolean;
}

export function parse(text: string, opts: ParseOptions): { nodes: Node[] } | { error: ParseFailure } {
  try {
    return { nodes: new Parser(text, opts).parse() };
  } catch (e) {
    if (e instanceof Failure) return { error: e.failure };
    if (e instanceof RangeError) return { error: { message: 'template nested too deep', span: { start: 0, end: 0 } } };
    throw e;
  }
}

type Marker = { t: 'end' | 'else' } & Span;

class Parser {
  private tokens: Token[];
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private text: string,
    private opts: ParseOptions,
  ) {
    this.tokens = lex(text, opts.leftDelim ?? '{{', opts.rightDelim ?? '}}');
  }

  private fail(message: string, at: Span, unknownFunction?: string): never {
    throw new Failure({ message, span: { start: at.start, end: Math.max(at.end, at.start) }, unknownFunction });
  }
  private tokenSpan(t: Token): Span {
    return { start: t.pos, end: t.end };
  }
  private next(): Token {
    const t = this.tokens[Math.min(this.i, this.tokens.length - 1)];
    this.i++;
    if (t.type === 'error') this.fail(t.val, this.tokenSpan(t));
    return t;
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }
  private expect(type: Token['type'], context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  private unexpected(t: Token, context: string): never {
    const what = t.type === 'eof' ? 'EOF' : t.type === 'rightDelim' ? `"${t.val}"` : t.type === 'keyword' ? `<${t.val}>` : t.type === 'space' ? 'space' : `"${t.val}"`;
    this.fail(`unexpected ${what} in ${context}`, this.tokenSpan(t));
  }

  parse(): Node[] {
    const nodes: Node[] = [];
    while (this.peek().type !== 'eof') {
      const n = this.textOrAction();
      if (n.t === 'end' || n.t === 'else') this.fail(`unexpected {{${n.t}}}`, n);
      nodes.push(n as Node);
    }
    return nodes;
  }

  private itemList(): { list: Node[]; marker: Marker } {
    const list: Node[] = [];
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.t === 'end' || n.t === 'else') return { list, marker: n as Marker };
      list.push(n as Node);
    }
    const t = this.peek();
    this.fail('unexpected EOF', { start: t.pos, end: t.pos });
  }

  private textOrAction(): Node | Marker {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { t: 'text', text: t.val, start: t.pos, end: t.end };
      case 'comment':
        return { t: 'comment', start: t.pos, end: t.end };
      case 'leftDelim':
        return this.action(t);
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(open: Token): Node | Marker {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'if':
          return this.control('if', open);
        case 'range':
          return this.control('range', open);
        case 'with':
          return this.control('with', open);
        case 'end': {
          const close = this.expect('rightDelim', 'end');
          return { t: 'end', start: open.pos, end: close.end };
        }
        case 'else': {
          // `else if` / `else with`: the keyword stays for the caller, which parses the nested control.
          const p = this.peekNonSpace();
          if (p.type === 'keyword' && (p.val === 'if' || p.val === 'with')) return { t: 'else', start: open.pos, end: p.pos };
          const close = this.expect('rightDelim', 'else');
          return { t: 'else', start: open.pos, end: close.end };
        }
        case 'break':
        case 'continue': {
          if (this.rangeDepth === 0) this.fail(`{{${t.val}}} outside {{range}}`, this.tokenSpan(t));
          const close = this.expect('rightDelim', `{{${t.val}}}`);
          return { t: t.val, start: open.pos, end: close.end };
        }
        case 'define':
        case 'template':
        case 'block':
          this.fail(`{{${t.val}}} is not supported`, this.tokenSpan(t));
      }
    }
    this.backup();
    const pipe = this.pipeline('command', 'rightDelim');
    const close = this.tokens[this.i - 1];
    return { t: 'action', pipe, start: open.pos, end: close.end };
  }

  private control(context: 'if' | 'range' | 'with', open: Token): Node {
    const depth = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const { list, marker } = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: Node[] | undefined;
      let end = marker.end;
      if (marker.t === 'else') {
        const p = this.peekNonSpace();
        if ((context === 'if' && p.type === 'keyword' && p.val === 'if') || (context === 'with' && p.type === 'keyword' && p.val === 'with')) {
          this.nextNonSpace();
          const nested = this.control(context, { ...open, pos: marker.start });
          elseList = [nested];
          end = nested.end;
        } else {
          const rest = this.itemList();
          if (rest.marker.t !== 'end') this.fail('expected end; found {{else}}', rest.marker);
          elseList = rest.list;
          end = rest.marker.end;
        }
      }
      return { t: context, pipe, list, elseList, start: open.pos, end };
    } finally {
      this.vars.length = depth;
    }
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const first = this.peekNonSpace();
    const pipe: Pipe = { decl: [], isAssign: false, cmds: [], start: first.pos, end: first.pos };
    // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range only).
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const mark = this.i;
      this.nextNonSpace();
      const after = this.nextNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        pipe.isAssign = after.type === 'assign';
        pipe.decl.push({ name: v.val, start: v.pos, end: v.end });
        this.vars.push(v.val);
        break decls;
      }
      if (after.type === 'comma') {
        pipe.decl.push({ name: v.val, start: v.pos, end: v.end });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const n = this.peekNonSpace();
          if (n.type === 'variable') continue decls;
          this.fail(`range can only initialize variables`, this.tokenSpan(n));
        }
        this.fail(`too many declarations in ${context}`, this.tokenSpan(v));
      }
      this.i = mark;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context, t);
        pipe.end = t.pos;
        return pipe;
      }
      switch (t.type) {
        case 'bool':
        case 'char':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: Pipe, context: string, at: Token): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`, this.tokenSpan(at));
    pipe.cmds.slice(1).forEach((c, i) => {
      const a = c.args[0];
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(a.t)) this.fail(`non executable command in pipeline stage ${i + 2}`, a);
    });
  }

  private command(): Command {
    const start = this.peekNonSpace().pos;
    const args: Arg[] = [];
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (args.length === 0) this.fail('empty command', { start, end: start + 1 });
    return { args, start, end: args[args.length - 1].end };
  }

  private operand(): Arg | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    const fields: string[] = [];
    let end = node.end;
    while (this.peek().type === 'field') {
      const f = this.next();
      fields.push(f.val.slice(1));
      end = f.end;
    }
    switch (node.t) {
      case 'field':
        return { t: 'field', idents: [...node.idents, ...fields], start: node.start, end };
      case 'variable':
        return { t: 'variable', idents: [...node.idents, ...fields], start: node.start, end };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(`unexpected . after term "${this.text.slice(node.start, node.end)}"`, { start: node.start, end });
      // falls through (fail never returns)
      default:
        return { t: 'chain', node, fields, start: node.start, end };
    }
  }

  private term(): Arg | undefined {
    const t = this.nextNonSpace();
    const span = this.tokenSpan(t);
    switch (t.type) {
      case 'identifier':
        if (!this.opts.hasFunction(t.val)) this.fail(`function "${t.val}" not defined`, span, t.val);
        return { t: 'identifier', name: t.val, ...span };
      case 'dot':
        return { t: 'dot', ...span };
      case 'nil':
        return { t: 'nil', ...span };
      case 'variable': {
        if (!this.vars.includes(t.val)) this.fail(`undefined variable "${t.val}"`, span);
        return { t: 'variable', idents: [t.val], ...span };
      }
      case 'field':
        return { t: 'field', idents: [t.val.slice(1)], ...span };
      case 'bool':
        return { t: 'bool', value: t.val === 'true', ...span };
      case 'char':
      case 'number':
        return this.number(t);
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        const close = this.tokens[this.i - 1];
        return { t: 'pipe', pipe, start: t.pos, end: close.end };
      }
      case 'string':
      case 'rawString':
        return { t: 'string', value: t.type === 'rawString' ? t.val.slice(1, -1).replace(/\r/g, '') : this.unquote(t), ...span };
    }
    this.backup();
    return undefined;
  }

  private number(t: Token): Arg {
    const span = this.tokenSpan(t);
    if (t.type === 'char') {
      const s = this.unquote({ ...t, val: '"' + t.val.slice(1, -1).replace(/"/g, '\\"') + '"' });
      const cp = s.codePointAt(0) ?? 0;
      if ([...s].length !== 1) this.fail(`malformed character constant: ${t.val}`, span);
      return { t: 'number', text: t.val, isInt: true, isFloat: true, int: cp, float: cp, ...span };
    }
    const text = t.val;
    if (/i$/.test(text)) this.fail(`complex numbers are not supported: ${text}`, span);
    const plain = text.replace(/_/g, '');
    const intMatch = /^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.test(plain);
    let isInt = false;
    let isFloat = false;
    let int = 0;
    let float = 0;
    if (intMatch) {
      const neg = plain.startsWith('-');
      const body = plain.replace(/^[+-]/, '');
      const big = /^0[xXoObB]/.test(body) ? BigInt(body.toLowerCase()) : body.length > 1 && body[0] === '0' ? BigInt('0o' + body.slice(1)) : BigInt(body);
      const v = neg ? -big : big;
      if (v < -(2n ** 63n) || v > 2n ** 64n - 1n) this.fail(`integer overflow: "${text}"`, span);
      isInt = true;
      int = Number(v);
      isFloat = true;
      float = int;
    } else {
      const f = Number(plain);
      if (!/[.eEpP]/.test(plain) || Number.isNaN(f)) this.fail(`illegal number syntax: "${text}"`, span);
      isFloat = true;
      float = f;
      if (Number.isInteger(f)) {
        isInt = true;
        int = f;
      }
    }
    return { t: 'number', text, isInt, isFloat, int, float, ...span };
  }

  /** Go's strconv.Unquote of a double-quoted string. */
  private unquote(t: Token): string {
    const body = t.val.slice(1, -1);
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = body[++i];
      const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
      if (e in simple) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.fail(`invalid syntax: ${t.val}`, this.tokenSpan(t));
        out += e === 'x' ? Buffer.from([parseInt(hex, 16)]).toString('latin1') : String.fromCodePoint(parseInt(hex, 16));
        i += n;
      } else if (e >= '0' && e <= '7') {
        const oct = body.slice(i, i + 3);
        if (!/^[0-7]{3}$/.test(oct)) this.fail(`invalid syntax: ${t.val}`, this.tokenSpan(t));
        out += String.fromCharCode(parseInt(oct, 8));
        i += 2;
      } else this.fail(`invalid syntax: ${t.val}`, this.tokenSpan(t));
    }
    return out;
  }
}
