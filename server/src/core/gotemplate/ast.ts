// The parse tree of a Go text/template (text/template/parse's nodes), with UTF-16 offsets into the template text.

export interface Span {
  start: number;
  end: number;
}

export type Arg =
  | ({ t: 'field'; idents: string[] } & Span) // .a.b
  | ({ t: 'variable'; idents: string[] } & Span) // $x.a.b ($ and its fields)
  | ({ t: 'identifier'; name: string } & Span) // a function
  | ({ t: 'chain'; node: Arg; fields: string[] } & Span) // (pipe).a.b, inputs.a.b
  | ({ t: 'dot' } & Span)
  | ({ t: 'nil' } & Span)
  | ({ t: 'bool'; value: boolean } & Span)
  | ({ t: 'number'; text: string; isInt: boolean; isFloat: boolean; int: number; float: number } & Span)
  | ({ t: 'string'; value: string } & Span)
  | ({ t: 'pipe'; pipe: Pipe } & Span);

export interface Command extends Span {
  args: Arg[];
}

export interface Pipe extends Span {
  decl: Array<{ name: string } & Span>;
  isAssign: boolean;
  cmds: Command[];
}

export type Node =
  | ({ t: 'text'; text: string } & Span)
  | ({ t: 'action'; pipe: Pipe } & Span)
  | ({ t: 'comment' } & Span)
  | ({ t: 'if' | 'with'; pipe: Pipe; list: Node[]; elseList?: Node[] } & Span)
  | ({ t: 'range'; pipe: Pipe; list: Node[]; elseList?: Node[] } & Span)
  | ({ t: 'break' | 'continue' } & Span);

/** Every use of a function and every field chain rooted at a function call (`inputs.a.b`), with where it is. */
export function walkArgs(nodes: Node[], visit: (a: Arg) => void): void {
  const pipe = (p: Pipe) => p.cmds.forEach((c) => c.args.forEach(arg));
  const arg = (a: Arg) => {
    visit(a);
    if (a.t === 'pipe') pipe(a.pipe);
    if (a.t === 'chain') arg(a.node);
  };
  const node = (n: Node) => {
    if (n.t === 'action') pipe(n.pipe);
    else if (n.t === 'if' || n.t === 'with' || n.t === 'range') {
      pipe(n.pipe);
      n.list.forEach(node);
      n.elseList?.forEach(node);
    }
  };
  nodes.forEach(node);
}
