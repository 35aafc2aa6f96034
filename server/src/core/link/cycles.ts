// Cycles: kustomizations that include each other (kustomize refuses to build them) and dependsOn loops
// (Flux waits forever).
import type { Fleet } from '../model';
import type { Finding } from '../findings';
import type { Span } from '../text';
import { docKey, RESOURCE_ROLES, type Links } from './linker';
import { relative } from '../paths';

interface Edge {
  to: string;
  span: Span;
}

/** Strongly connected components (Tarjan), iterative so deep chains cannot overflow the stack. */
export function stronglyConnected(nodes: string[], edges: Map<string, Edge[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const start of nodes) {
    if (idx.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = edges.get(top.node) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++].to;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, idx.get(w)!));
        }
      } else {
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1].node;
          low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
        }
        if (low.get(top.node) === idx.get(top.node)) {
          const comp: string[] = [];
          let w: string;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            comp.push(w);
          } while (w !== top.node);
          out.push(comp);
        }
      }
    }
  }
  return out;
}

function reportCycles(edges: Map<string, Edge[]>, report: (from: string, e: Edge, members: string[]) => void): void {
  for (const comp of stronglyConnected([...edges.keys()], edges)) {
    const members = new Set(comp);
    const cyclic = comp.length > 1 || (edges.get(comp[0]) ?? []).some((e) => e.to === comp[0]);
    if (!cyclic) continue;
    for (const from of comp) for (const e of edges.get(from) ?? []) if (members.has(e.to)) report(from, e, comp);
  }
}

export function checkIncludeCycles(fleet: Fleet, links: Links, findings: Finding[]): void {
  const edges = new Map<string, Edge[]>();
  // (forEach, not for-of: this runs once per link, mostly before V8 optimizes it, where each step of a Map's iterator made
  // an entry pair and a result: one per file of the fleet)
  links.includers.forEach((incs, target) => {
    if (!fleet.facts.get(target)?.kustomize) return;
    for (const inc of incs) {
      if (inc.type !== 'kustomize' || !RESOURCE_ROLES.has(inc.role)) continue;
      const l = edges.get(inc.file) ?? [];
      l.push({ to: target, span: inc.span });
      edges.set(inc.file, l);
    }
  });
  reportCycles(edges, (from, e, members) => {
    const base = fleet.repositoryOf(from)?.root ?? '/';
    findings.push({
      file: from,
      span: e.span,
      severity: 'error',
      code: 'include-cycle',
      message: `This inclusion closes a cycle: ${members.map((m) => relative(base, m)).join(' → ')}; kustomize cannot build it.`,
      related: [{ file: e.to, span: { start: 0, end: 0 }, message: 'included here, and it includes this file back' }],
    });
  });
}

export function checkDependencyCycles(fleet: Fleet, links: Links, findings: Finding[]): void {
  const edges = new Map<string, Edge[]>();
  const names = new Map<string, string>();
  // (forEach, not for-of: see checkIncludeCycles)
  fleet.facts.forEach((facts) => {
    if (links.nonResourceFiles.has(facts.file)) return;
    for (const ref of facts.objectRefs) {
      if (ref.role !== 'dependsOn') continue;
      const self = facts.objects.find((o) => o.owner.doc === ref.owner.doc);
      if (!self) continue;
      const from = docKey(ref.owner);
      names.set(from, `${self.kind} ${self.name}`);
      const namespaces = ref.namespace !== undefined ? [ref.namespace] : [...links.namespacesOf(facts.file, self.namespace)];
      for (const ns of namespaces) {
        // A name that matches thousands of copies is a duplicate already: a few edges say the same (no N² graph).
        for (const hit of links.findNear(facts.file, ref.kinds, ref.name, ns).slice(0, 20)) {
          const l = edges.get(from) ?? [];
          l.push({ to: docKey(hit.fact.owner), span: ref.span });
          edges.set(from, l);
        }
      }
    }
  });
  reportCycles(edges, (from, e, members) => {
    const [file, doc] = splitKey(e.to);
    const target = fleet.facts.get(file)?.objects.find((o) => o.owner.doc === doc);
    findings.push({
      file: splitKey(from)[0],
      span: e.span,
      severity: 'error',
      code: 'dependency-cycle',
      message: `dependsOn cycle: ${members.map((m) => names.get(m) ?? m).join(' → ')}; none of them will ever become ready.`,
      related: target ? [{ file, span: target.nameSpan, message: 'depends back on this object' }] : undefined,
    });
  });
}

function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf('#');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}
