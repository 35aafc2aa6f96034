// Objects no file defines because something in the cluster makes them: what producers in the fleet make (facts.ts
// ProducedFact: ExternalSecrets, Kyverno generate rules, …) and what `.flux-fleet.yaml` declares `provided:`.
// A reference to one of them resolves to its producer instead of being reported missing.
import picomatch from 'picomatch';
import type { Fleet } from '../model';
import type { ObjectFact, ProducedFact } from '../facts';
import type { ProvidedDeclaration } from '../fleetConfig';
import type { ObjectIndex } from './objectIndex';
import { placeholderRegex } from './objectIndex';
import { offsetToLineCol } from '../text';

/** One rule of what the cluster makes, with its matchers compiled. */
export interface ProvidedEntry {
  /** A producer in the fleet, or a declaration in `.flux-fleet.yaml`. */
  produced?: ProducedFact;
  declared?: ProvidedDeclaration;
  kind: (k: string) => boolean;
  name: (n: string) => boolean;
  /** undefined: a namespace not known (cluster-scoped, or unknown) matches every entry. */
  namespace: (ns: string) => boolean;
  /** The producer's effective namespaces (for hovers). */
  producerNamespaces?: ReadonlySet<string | undefined>;
}

/** A provided object a reference means: the rule, and for copies the source object found in Git. */
export interface ProvidedMatch {
  entry: ProvidedEntry;
  /** cloneList: the object copied (its labels match the rule's selector). */
  source?: ObjectFact;
}

/** Globs where `*` alone also matches the empty string (like lock rules). */
function globs(list: string[] | undefined): (s: string) => boolean {
  if (!list?.length || list.includes('*')) return () => true;
  const m = picomatch(list, { dot: true });
  return (s) => m(s);
}

export function labelsMatch(labels: Record<string, string> | undefined, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export class ProvidedIndex {
  constructor(readonly entries: ProvidedEntry[]) {}

  /**
   * What makes `kind` `name` in `namespace`, if anything. A cloneList copies only what exists: it needs a source
   * object of that kind and name in its namespace whose labels match its selector.
   */
  find(kind: string, name: string, namespace: string | undefined, objects: ObjectIndex): ProvidedMatch | undefined {
    // A name still holding `${var}` matches what a rule makes under any value of it.
    const named = name.includes('${') ? ((n: string) => n.includes('*') || placeholderRegex(name).test(n)) : undefined;
    for (const entry of this.entries) {
      if (!entry.kind(kind) || (namespace !== undefined && !namespace.includes('${') && !entry.namespace(namespace))) continue;
      if (named ? !(entry.produced ? named(entry.produced.name) : true) : !entry.name(name)) continue;
      const content = entry.produced?.content;
      if (content?.type === 'cloneList') {
        const source = objects.find([kind], name, content.namespace).find((o) => labelsMatch(o.fact.labels, content.matchLabels));
        if (!source) continue;
        return { entry, source: source.fact };
      }
      return { entry };
    }
    return undefined;
  }
}

/**
 * Every producer of the fleet (documents that are objects, i.e. not patches) and every declaration. A producer
 * without a written namespace makes its objects in its own effective namespaces.
 */
export function buildProvidedIndex(
  fleet: Fleet,
  isResourceFile: (file: string) => boolean,
  namespacesOf: (file: string, declared: string | undefined, kind?: string) => ReadonlySet<string | undefined>,
  /** Producers that are not one file's facts (what ResourceSets make for inputs unknown offline). */
  more: readonly ProducedFact[] = [],
): ProvidedIndex {
  const entries: ProvidedEntry[] = [];
  for (const p of more) entries.push({ produced: p, kind: (k) => p.kinds.includes(k), name: globs([p.name]), namespace: globs(p.namespaces), producerNamespaces: new Set([p.producer.namespace]) });
  for (const facts of fleet.facts.values()) {
    if (!facts.produced || !isResourceFile(facts.file)) continue;
    for (const p of facts.produced) {
      const kinds = new Set(p.kinds);
      const own = namespacesOf(facts.file, p.producer.namespace, p.producer.kind);
      const namespace = p.namespaces ? globs(p.namespaces) : own.has(undefined) || [...own].some((n) => n?.includes('${')) ? () => true : (ns: string) => own.has(ns);
      entries.push({ produced: p, kind: (k) => kinds.has(k), name: globs([p.name]), namespace, producerNamespaces: own });
    }
  }
  for (const d of fleet.layout.provided ?? []) entries.push({ declared: d, kind: globs(d.kinds), name: globs(d.names), namespace: globs(d.namespaces) });
  return new ProvidedIndex(entries);
}

/** `repo/path:line` of an offset in a file. */
function where(fleet: Fleet, file: string, offset: number): string {
  const repo = fleet.repositoryOf(file);
  const path = repo ? `${repo.name}/${file.slice(repo.root.length + 1)}` : file;
  const facts = fleet.facts.get(file);
  return facts ? `${path}:${offsetToLineCol(facts.lineStarts, offset).line + 1}` : path;
}

/** Who makes it, for hovers: "made in the cluster by ExternalSecret backend/db (apps/db.yaml:3)". */
export function describeProvider(fleet: Fleet, match: ProvidedMatch): string {
  const { produced, declared } = match.entry;
  if (declared) return `declared provided in ${where(fleet, declared.file, declared.span.start)}${declared.reason ? `: ${declared.reason}` : ''}`;
  const p = produced!;
  const own = [...(match.entry.producerNamespaces ?? [])].filter((n): n is string => !!n);
  const ns = own.length ? `${own.join(',')}/` : '';
  const kyverno = p.producer.kind === 'ClusterPolicy' || p.producer.kind === 'Policy' ? 'Kyverno ' : '';
  const by = `${kyverno}${p.producer.kind} ${ns}${p.producer.name}${p.via ? `, ${p.via}` : ''}`;
  const c = p.content;
  const copy = c.type === 'copy' ? `, a copy of ${c.kind} ${c.namespace ? c.namespace + '/' : ''}${c.name}` : '';
  const source = match.source ? `, a copy of ${match.source.kind} ${c.type === 'cloneList' ? c.namespace + '/' : ''}${match.source.name} (${where(fleet, match.source.owner.file, match.source.nameSpan.start)})` : '';
  return `made in the cluster by ${by} (${where(fleet, p.owner.file, p.producer.nameSpan.start)})${copy}${source}`;
}
