// Objects by kind and name, each with the namespaces it really lands in.
import type { ObjectFact } from '../facts';

export interface IndexedObject {
  fact: ObjectFact;
  /** Effective namespaces; `undefined` in the set means "not known" (no metadata.namespace and nothing sets one). */
  namespaces: ReadonlySet<string | undefined>;
}

export class ObjectIndex {
  private readonly byKind = new Map<string, Map<string, IndexedObject[]>>();
  /** Names holding `${var}` per kind: they are matched as patterns, so keep them apart from exact lookups. */
  private readonly placeholderNames = new Map<string, Set<string>>();
  /** `${var}` names as patterns, made once per index. */
  private readonly patterns = new Map<string, RegExp>();
  /** A long list of one name's objects by the namespace asked for (see inNamespace). */
  private readonly byNamespace = new WeakMap<IndexedObject[], { length: number; buckets: Map<string, IndexedObject[]>; anywhere: IndexedObject[] }>();
  readonly all: IndexedObject[] = [];

  add(entry: IndexedObject): void {
    let names = this.byKind.get(entry.fact.kind);
    if (!names) this.byKind.set(entry.fact.kind, (names = new Map()));
    if (entry.fact.name.includes('${')) {
      let p = this.placeholderNames.get(entry.fact.kind);
      if (!p) this.placeholderNames.set(entry.fact.kind, (p = new Set()));
      p.add(entry.fact.name);
    }
    const list = names.get(entry.fact.name);
    if (list) list.push(entry);
    else names.set(entry.fact.name, [entry]);
    this.all.push(entry);
  }

  /** A copy with the entries at `at` (indices into `all`) replaced where `replace` answers another: other lists are shared. */
  withReplaced(at: Iterable<number>, replace: (e: IndexedObject) => IndexedObject): ObjectIndex {
    const swapped = new Map<IndexedObject, IndexedObject>();
    let all: IndexedObject[] | undefined;
    for (const i of at) {
      const e = this.all[i];
      const r = replace(e);
      if (r === e) continue;
      swapped.set(e, r);
      (all ??= this.all.slice())[i] = r;
    }
    if (!all) return this;
    const out = new ObjectIndex();
    for (const e of all) out.all.push(e);
    for (const [kind, names] of this.byKind) out.byKind.set(kind, names);
    for (const [kind, names] of this.placeholderNames) out.placeholderNames.set(kind, names);
    const copied = new Set<Map<string, IndexedObject[]>>();
    for (const old of swapped.keys()) {
      let names = out.byKind.get(old.fact.kind)!;
      if (!copied.has(names)) {
        names = new Map(names);
        copied.add(names);
        out.byKind.set(old.fact.kind, names);
      }
      names.set(old.fact.name, names.get(old.fact.name)!.map((e) => swapped.get(e) ?? e));
    }
    return out;
  }

  ofKind(kind: string): IndexedObject[] {
    const names = this.byKind.get(kind);
    return names ? [...names.values()].flat() : [];
  }

  /**
   * Objects of one of `kinds` named `name` in `namespace` (undefined: any namespace). Names holding `${var}`
   * placeholders (before substitution) match any text in the placeholder's place, in both directions.
   */
  find(kinds: string[], name: string, namespace: string | undefined): IndexedObject[] {
    const out: IndexedObject[] = [];
    const pattern = name.includes('${') ? placeholderRegex(name, this.patterns) : undefined;
    for (const kind of kinds) {
      const names = this.byKind.get(kind);
      if (!names) continue;
      if (pattern) {
        for (const c of [...names.entries()].filter(([n]) => pattern.test(n)).flatMap(([, l]) => l)) if (namespaceMatches(c, namespace)) out.push(c);
      } else {
        const list = names.get(name) ?? [];
        if (list.length < BUCKETED || namespace === undefined || namespace.includes('${')) {
          for (const c of list) if (namespaceMatches(c, namespace)) out.push(c);
        } else for (const c of this.inNamespace(list, namespace)) out.push(c);
      }
      if (!pattern) {
        // The target's own name may hold a placeholder.
        for (const n of this.placeholderNames.get(kind) ?? []) {
          if (!placeholderRegex(n, this.patterns).test(name)) continue;
          for (const c of names.get(n) ?? []) if (namespaceMatches(c, namespace)) out.push(c);
        }
      }
    }
    return out;
  }

  /**
   * The objects of `list` that namespaceMatches `namespace` (a concrete one), in the list's order. One name's objects
   * grow with a fleet (a release of that name in every tenant's namespace) and so do the references to them: filtering
   * the whole list per reference made the link quadratic in the tenants.
   */
  private inNamespace(list: IndexedObject[], namespace: string): IndexedObject[] {
    let kept = this.byNamespace.get(list);
    if (!kept || kept.length !== list.length) {
      // `add` appends to a list: a longer list is bucketed again.
      const buckets = new Map<string, IndexedObject[]>();
      const anywhere: IndexedObject[] = [];
      const everywhere = (o: IndexedObject) => [...o.namespaces].some((ns) => ns === undefined || ns.includes('${'));
      for (const o of list) if (!everywhere(o)) for (const ns of o.namespaces) if (!buckets.has(ns!)) buckets.set(ns!, []);
      for (const o of list) {
        if (everywhere(o)) {
          anywhere.push(o);
          for (const b of buckets.values()) b.push(o);
        } else for (const ns of o.namespaces) buckets.get(ns!)!.push(o);
      }
      this.byNamespace.set(list, (kept = { length: list.length, buckets, anywhere }));
    }
    return kept.buckets.get(namespace) ?? kept.anywhere;
  }
}

/** Lists of one name at least this long are looked up by namespace (shorter ones are filtered: cheaper than a map). */
const BUCKETED = 16;

function namespaceMatches(obj: IndexedObject, namespace: string | undefined): boolean {
  if (namespace === undefined || namespace.includes('${')) return true;
  for (const ns of obj.namespaces) if (ns === undefined || ns === namespace || ns.includes('${')) return true;
  return false;
}

/** A name with `${var}` as a pattern (`cache`: the caller's, for names asked about again and again). */
export function placeholderRegex(text: string, cache?: Map<string, RegExp>): RegExp {
  let re = cache?.get(text);
  if (!re) {
    const parts = text.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp('^' + parts.join('.*') + '$');
    cache?.set(text, re);
  }
  return re;
}
