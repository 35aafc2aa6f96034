// Go text/template's executor (text/template/exec.go) over the parse tree: pipelines, variables, field chains on
// maps (with Go's missingkey option), function calls with Go's argument checks (arity, `int` vs `int64`, literal
// constants), if / with / range (slices, maps in sorted key order, integers) with break and continue. The output
// keeps a map from each written piece to the template text that wrote it.
import type { Arg, Command, Node, Pipe, Span } from './ast';
import { GoFloat, GoInt, isMap, kindOf, truth, typeName, formatValue, type GoMap, type GoValue } from './values';

export type ParamType = 'any' | 'string' | 'int' | 'bool' | 'float' | 'map' | 'slice';

/** A template function: Go's signature (parameter types, variadic tail) and its body. Errors: throw FuncError. */
export interface GoFunc {
  params: ParamType[];
  variadic?: ParamType;
  call: (args: GoValue[]) => GoValue;
}

/** An error a function returns (Go: its error result, or a panic). */
export class FuncError extends Error {}

export type FuncMap = Record<string, GoFunc>;

export interface ExecFailure {
  message: string;
  span: Span;
  /** A map lookup of a key that is not there (missingkey=error): the key and the chain that looked it up. */
  missingKey?: { key: string; path: string[] };
  /** Where Go places the error when not at the span's start (a chain: at its first field). */
  pos?: number;
}

/** A piece of output and the template text that wrote it (a text node, or an action's `<< >>`). */
export interface OutputSegment {
  out: Span;
  src: Span;
  action: boolean;
}

export interface ExecOptions {
  funcs: FuncMap;
  /** Go's `missingkey` option: `error` (the Flux Operator's), `default`/`invalid` (prints <no value>), `zero`. */
  missingKey?: 'error' | 'default' | 'zero';
  data?: GoValue;
  /** Output longer than this stops the execution (a template is data, not a way to fill memory). */
  maxOutput?: number;
  /** Nodes walked and range iterations beyond this stop the execution (`range 1000000000`). */
  maxSteps?: number;
}

class ExecError extends Error {
  constructor(readonly failure: ExecFailure) {
    super(failure.message);
  }
}
class BreakSignal {}
class ContinueSignal {}

const NO_VALUE = undefined;

export function execute(nodes: Node[], text: string, opts: ExecOptions): { output: string; segments: OutputSegment[] } | { error: ExecFailure } {
  const s = new State(text, opts);
  try {
    // Execute(w, nil) gives no data at all (Go's invalid value), not a nil map: `.x` is "nil data".
    const data = opts.data ?? undefined;
    s.vars.push({ name: '$', value: data });
    s.walk(data, nodes);
    return { output: s.out, segments: s.segments };
  } catch (e) {
    if (e instanceof ExecError) return { error: e.failure };
    if (e instanceof RangeError) return { error: { message: 'template recursion too deep', span: { start: 0, end: 0 } } };
    throw e;
  }
}

function argText(text: string, a: Span): string {
  const s = text.slice(a.start, a.end);
  return s.length > 20 ? s.slice(0, 20) + '...' : s;
}

class State {
  out = '';
  segments: OutputSegment[] = [];
  vars: Array<{ name: string; value: GoValue }> = [];
  private missingKey: 'error' | 'default' | 'zero';
  private maxOutput: number;
  private steps = 0;
  private maxSteps: number;

  constructor(
    private text: string,
    private opts: ExecOptions,
  ) {
    this.missingKey = opts.missingKey ?? 'default';
    this.maxOutput = opts.maxOutput ?? 16 * 1024 * 1024;
    this.maxSteps = opts.maxSteps ?? 5_000_000;
  }

  private step(at: Span): void {
    if (++this.steps > this.maxSteps) this.fail(at, `execution stopped after ${this.maxSteps} steps`);
  }

  fail(at: Span, message: string, missingKey?: ExecFailure['missingKey']): never {
    const chain = at as Partial<Extract<Arg, { t: 'chain' }>>;
    const pos = chain.t === 'chain' && chain.node ? chain.node.end : undefined;
    throw new ExecError({ message: `executing at <${argText(this.text, at)}>: ${message}`, span: { start: at.start, end: at.end }, missingKey, ...(pos !== undefined && { pos }) });
  }

  private write(s: string, src: Span, action: boolean): void {
    if (!s) return;
    const start = this.out.length;
    this.out += s;
    if (this.out.length > this.maxOutput) this.fail(src, `output larger than ${this.maxOutput} characters`);
    this.segments.push({ out: { start, end: this.out.length }, src, action });
  }

  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private varValue(name: string, at: Span): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.fail(at, `undefined variable: ${name}`);
  }
  private setVar(name: string, value: GoValue, at: Span): void {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    this.fail(at, `undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: GoValue): void {
    this.vars[this.vars.length - n].value = value;
  }

  walk(dot: GoValue, nodes: Node[]): void {
    for (const n of nodes) this.walkNode(dot, n);
  }

  private walkNode(dot: GoValue, n: Node): void {
    this.step(n);
    switch (n.t) {
      case 'text':
        this.write(n.text, { start: n.start, end: n.end }, false);
        return;
      case 'comment':
        return;
      case 'action': {
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.write(v === null || v === undefined ? '<no value>' : formatValue(v), { start: n.start, end: n.end }, true);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.mark();
        try {
          const v = this.evalPipeline(dot, n.pipe);
          if (truth(v)) this.walk(n.t === 'with' ? v : dot, n.list);
          else if (n.elseList) this.walk(dot, n.elseList);
        } finally {
          this.pop(mark);
        }
        return;
      }
      case 'range':
        return this.walkRange(dot, n);
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private walkRange(dot: GoValue, r: Extract<Node, { t: 'range' }>): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const decl = r.pipe.decl;
      const one = (index: GoValue, elem: GoValue): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) {
              this.setVar(decl[0].name, index, decl[0]);
              this.setVar(decl[1].name, elem, decl[1]);
            } else this.setVar(decl[0].name, elem, decl[0]);
          } else this.setTopVar(1, elem);
        }
        if (decl.length > 1 && !r.pipe.isAssign) this.setTopVar(2, index);
        this.step(r);
        const inner = this.mark();
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e instanceof BreakSignal) return false;
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.pop(inner);
        }
        return true;
      };
      const k = kindOf(val);
      let ran = false;
      if (k === 'slice') {
        const items = val as GoValue[];
        for (let i = 0; i < items.length; i++) {
          ran = true;
          if (!one(new GoInt(i), items[i])) break;
        }
      } else if (k === 'map') {
        const m = val as GoMap;
        for (const key of Object.keys(m).sort()) {
          ran = true;
          if (!one(key, m[key])) break;
        }
      } else if (k === 'int') {
        const n = (val instanceof GoInt ? val.v : (val as number)) | 0;
        for (let i = 0; i < n; i++) {
          ran = true;
          if (!one(new GoInt(i), new GoInt(i))) break;
        }
      } else if (k !== 'invalid') this.fail(r.pipe, `range can't iterate over ${formatValue(val)}`);
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private evalPipeline(dot: GoValue, pipe: Pipe): GoValue {
    let value: GoValue = NO_VALUE;
    let final = false;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, final, value);
      final = true;
    }
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.name, value, d);
      else this.vars.push({ name: d.name, value });
    }
    return value;
  }

  private notAFunction(args: Arg[], hasFinal: boolean): void {
    if (args.length > 1 || hasFinal) this.fail(args[0], `can't give argument to non-function ${this.text.slice(args[0].start, args[0].end)}`);
  }

  private evalCommand(dot: GoValue, cmd: Command, hasFinal: boolean, final: GoValue): GoValue {
    const first = cmd.args[0];
    switch (first.t) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.idents, ['.'], cmd.args, hasFinal, final);
      case 'chain': {
        if (first.node.t === 'nil') this.fail(first, `indirection through explicit nil in ${this.text.slice(first.start, first.end)}`);
        const receiver = this.evalArgValue(dot, first.node);
        const root = first.node.t === 'identifier' ? [first.node.name] : ['(' + this.text.slice(first.node.start, first.node.end) + ')'];
        return this.evalFieldChain(dot, receiver, first, first.fields, root, cmd.args, hasFinal, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first.name, first, cmd.args, hasFinal, final);
      case 'pipe':
        this.notAFunction(cmd.args, hasFinal);
        return this.evalPipeline(dot, first.pipe);
      case 'variable': {
        const value = this.varValue(first.idents[0], first);
        if (first.idents.length === 1) {
          this.notAFunction(cmd.args, hasFinal);
          return value;
        }
        return this.evalFieldChain(dot, value, first, first.idents.slice(1), [first.idents[0]], cmd.args, hasFinal, final);
      }
    }
    this.notAFunction(cmd.args, hasFinal);
    switch (first.t) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.fail(first, 'nil is not a command');
      // falls through (fail never returns)
      case 'number':
        return idealConstant(first);
      case 'string':
        return first.value;
    }
    const never: Span = first;
    this.fail(never, `can't evaluate command ${this.text.slice(never.start, never.end)}`);
  }

  /** An argument evaluated with no expected type (Go's evalArg with a nil type). */
  private evalArgValue(dot: GoValue, a: Arg): GoValue {
    switch (a.t) {
      case 'dot':
        return dot;
      case 'nil':
        this.fail(a, 'cannot assign nil to interface {}');
      // falls through
      case 'field':
        return this.evalFieldChain(dot, dot, a, a.idents, ['.'], [a], false, NO_VALUE);
      case 'variable': {
        const value = this.varValue(a.idents[0], a);
        return a.idents.length === 1 ? value : this.evalFieldChain(dot, value, a, a.idents.slice(1), [a.idents[0]], [a], false, NO_VALUE);
      }
      case 'pipe':
        return this.evalPipeline(dot, a.pipe);
      case 'identifier':
        return this.evalFunction(dot, a.name, a, [a], false, NO_VALUE);
      case 'chain': {
        if (a.node.t === 'nil') this.fail(a, `indirection through explicit nil in ${this.text.slice(a.start, a.end)}`);
        const receiver = this.evalArgValue(dot, a.node);
        const root = a.node.t === 'identifier' ? [a.node.name] : ['(' + this.text.slice(a.node.start, a.node.end) + ')'];
        return this.evalFieldChain(dot, receiver, a, a.fields, root, [a], false, NO_VALUE);
      }
      case 'bool':
        return a.value;
      case 'number':
        return idealConstant(a);
      case 'string':
        return a.value;
    }
  }

  private evalFieldChain(dot: GoValue, receiver: GoValue, node: Span, idents: string[], root: string[], args: Arg[], hasFinal: boolean, final: GoValue): GoValue {
    const n = idents.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(idents[i], node, [...root, ...idents.slice(0, i + 1)], false, receiver);
    return this.evalField(idents[n - 1], node, [...root, ...idents], args.length > 1 || hasFinal, receiver);
  }

  private evalField(fieldName: string, node: Span, path: string[], hasArgs: boolean, receiver: GoValue): GoValue {
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.fail(node, `nil data; no entry for key "${fieldName}"`, { key: fieldName, path });
      return NO_VALUE;
    }
    if (receiver === null) this.fail(node, `nil pointer evaluating interface {}.${fieldName}`);
    if (isMap(receiver)) {
      if (hasArgs) this.fail(node, `${fieldName} is not a method but has arguments`);
      if (Object.prototype.hasOwnProperty.call(receiver, fieldName)) return receiver[fieldName];
      if (this.missingKey === 'error') this.fail(node, `map has no entry for key "${fieldName}"`, { key: fieldName, path });
      // `default` gives the invalid value (prints <no value>); `zero` the zero of interface{}, nil.
      return this.missingKey === 'zero' ? null : NO_VALUE;
    }
    this.fail(node, `can't evaluate field ${fieldName} in type ${typeName(receiver)}`);
  }

  private evalFunction(dot: GoValue, name: string, node: Span, args: Arg[], hasFinal: boolean, final: GoValue): GoValue {
    const fn = this.opts.funcs[name];
    if (!fn || !Array.isArray(fn.params)) this.fail(node, `"${name}" is not a defined function`);
    const callArgs = args.slice(1);
    // and / or: arguments evaluated one at a time, stopping at the first that decides (Go 1.18).
    if (name === 'and' || name === 'or') {
      if (callArgs.length + (hasFinal ? 1 : 0) < 1) this.fail(node, `wrong number of args for ${name}: want at least 1 got 0`);
      let v: GoValue = NO_VALUE;
      for (const a of callArgs) {
        v = this.evalArgValue(dot, a);
        if (truth(v) === (name === 'or')) return v;
      }
      return hasFinal ? final : v;
    }
    const numIn = callArgs.length + (hasFinal ? 1 : 0);
    const fixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < fixed) this.fail(node, `wrong number of args for ${name}: want at least ${fixed} got ${numIn}`);
    } else if (numIn !== fixed) this.fail(node, `wrong number of args for ${name}: want ${fixed} got ${numIn}`);
    const values: GoValue[] = [];
    callArgs.forEach((a, i) => values.push(this.evalTypedArg(dot, i < fixed ? fn.params[i] : fn.variadic!, a)));
    if (hasFinal) {
      const t = callArgs.length < fixed ? fn.params[callArgs.length] : fn.variadic!;
      values.push(this.validateType(final, t, node));
    }
    try {
      return fn.call(values);
    } catch (e) {
      if (e instanceof FuncError) this.fail(node, `error calling ${name}: ${e.message}`);
      if (e instanceof ExecError || e instanceof BreakSignal || e instanceof ContinueSignal) throw e;
      if (e instanceof RangeError) throw e;
      this.fail(node, `error calling ${name}: ${(e as Error).message}`);
    }
  }

  private evalTypedArg(dot: GoValue, type: ParamType, a: Arg): GoValue {
    switch (a.t) {
      case 'dot':
      case 'field':
      case 'chain':
      case 'variable':
      case 'pipe':
      case 'identifier':
        return this.validateType(this.evalArgValue(dot, a), type, a);
      case 'nil':
        if (type === 'any' || type === 'map' || type === 'slice') return null;
        this.fail(a, `cannot assign nil to ${GO_TYPE[type]}`);
    }
    const found = this.text.slice(a.start, a.end);
    switch (type) {
      case 'any':
        return a.t === 'number' ? idealConstant(a) : a.t === 'bool' ? a.value : a.value;
      case 'bool':
        if (a.t === 'bool') return a.value;
        this.fail(a, `expected bool; found ${found}`);
      // falls through
      case 'string':
        if (a.t === 'string') return a.value;
        this.fail(a, `expected string; found ${found}`);
      // falls through
      case 'int':
        if (a.t === 'number' && a.isInt) return new GoInt(a.int);
        this.fail(a, `expected integer; found ${found}`);
      // falls through
      case 'float':
        if (a.t === 'number' && a.isFloat) return new GoFloat(a.float);
        this.fail(a, `expected float; found ${found}`);
    }
    this.fail(a as Span, `can't handle ${found} for arg of type ${GO_TYPE[type]}`);
  }

  private validateType(v: GoValue, type: ParamType, at: Span): GoValue {
    if (v === undefined || v === null) {
      if (type === 'any' || type === 'map' || type === 'slice') return null;
      this.fail(at, `invalid value; expected ${GO_TYPE[type]}`);
    }
    const ok =
      type === 'any' ||
      (type === 'string' && typeof v === 'string') ||
      (type === 'int' && v instanceof GoInt) ||
      (type === 'bool' && typeof v === 'boolean') ||
      (type === 'float' && (v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v)))) ||
      (type === 'map' && isMap(v)) ||
      (type === 'slice' && Array.isArray(v));
    if (!ok) this.fail(at, `wrong type for value; expected ${GO_TYPE[type]}; got ${typeName(v)}`);
    return v;
  }
}

const GO_TYPE: Record<ParamType, string> = { any: 'interface {}', string: 'string', int: 'int', bool: 'bool', float: 'float64', map: 'map[string]interface {}', slice: '[]interface {}' };

/** A number literal where any type is taken: a float64 when written as one (`1.5`, `1e3`), else a Go int. */
function idealConstant(a: Extract<Arg, { t: 'number' }>): GoValue {
  const isHex = /^[+-]?0[xX]/.test(a.text);
  if (a.isFloat && !isHex && !a.text.startsWith("'") && /[.eEpP]/.test(a.text)) return new GoFloat(a.float);
  if (a.isInt) return new GoInt(a.int);
  return new GoFloat(a.float);
}
