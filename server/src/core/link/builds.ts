// What a build would contain, judged without building it: duplicates that no transformer can undo, and Flux
// Kustomizations with prune whose build is empty (applying it deletes everything it applied before).
//
// Duplicates: kustomize fails when it adds a resource whose id (group, version, kind, namespace, name) is already
// there. Objects that come out of sub-builds have been through those builds' transformers (a `namespace:` renames a
// placeholder `Namespace _`, patches may rename anything), so whether two of them collide is decided by the kustomize
// engine on the evaluated build (core/kustomize/build.ts reports it as a kustomize-build-error). Here only the
// certain case is reported: two files one kustomization (or Flux's generated one) lists directly, whose objects are
// compared as written, before any of that level's transformers run — exactly as kustomize compares them.
import type { Fleet } from '../model';
import type { Finding } from '../findings';
import type { ObjectFact } from '../facts';
import { RESOURCE_ROLES, type Links } from './linker';
import { relative } from '../paths';
import { isClusterScopedForKustomize } from '../kube/kinds';
import { apiGroupOf, apiVersionOf } from '../kube/apiVersion';

interface Build {
  objects: number;
  /** False when part of the build could not be seen (an unmapped remote base, a cycle, a missing path). */
  complete: boolean;
}

/** kustomize's ResId.Equals key: group, version, kind, name, and the effective namespace ("" is "default"; none for
 *  what kustomize's built-in data knows as cluster-scoped). */
function idOf(o: ObjectFact): string {
  const group = apiGroupOf(o.apiVersion);
  const version = apiVersionOf(o.apiVersion);
  const namespace = isClusterScopedForKustomize({ group, version, kind: o.kind }) ? '' : o.namespace || 'default';
  return `${group}|${version}|${o.kind}|${namespace}|${o.name}`;
}

export function checkBuilds(fleet: Fleet, links: Links, findings: Finding[]): void {
  const memo = new Map<string, Build>();
  const visiting = new Set<string>();
  const reported = new Set<string>();
  const kustomizationFindings = new Map<string, boolean>();
  for (const f of findings) if (f.code === 'path-not-found' || f.code === 'remote-base-not-mapped') kustomizationFindings.set(f.file, true);

  const isKustomization = (file: string) => !!fleet.facts.get(file)?.kustomize;
  const fileObjects = (file: string): ObjectFact[] => fleet.facts.get(file)?.objects ?? [];

  /** Objects of an entry: a kustomization file (built recursively) or a plain manifest file. */
  const entryBuild = (file: string): Build => {
    if (!isKustomization(file)) return { objects: fileObjects(file).length, complete: fleet.facts.has(file) };
    return kustomizationBuild(file);
  };

  const kustomizationBuild = (file: string): Build => {
    const cached = memo.get(file);
    if (cached) return cached;
    if (visiting.has(file)) return { objects: 0, complete: false };
    visiting.add(file);
    // A kustomization file the index could not read as one (empty, a comment, a list, binary: what a user has while
    // typing) makes kustomize fail: its build is not empty but unknown, and the engine reports why.
    const k = fleet.facts.get(file)?.kustomize;
    let complete = !!k && !k.refused && !kustomizationFindings.get(file);
    let objects = k?.generated.length ?? 0;
    for (const inc of includedBy(file)) {
      const b = entryBuild(inc.target);
      complete &&= b.complete;
      objects += b.objects;
    }
    const listed = includedBy(file).filter((inc) => inc.role !== 'components').sort((a, b) => a.at - b.at);
    reportDuplicates(file, listed.map((inc) => inc.target));
    const build = { objects, complete };
    visiting.delete(file);
    memo.set(file, build);
    return build;
  };

  /** Entries a kustomization includes as resources (or components), with where it lists them. */
  const childrenOf = new Map<string, Array<{ target: string; role: string; at: number }>>();
  // (forEach, not for-of: this runs once per link, mostly before V8 optimizes it, where each step of a Map's iterator made
  // an entry pair and a result: one per file of the fleet)
  links.includers.forEach((incs, target) => {
    for (const inc of incs) {
      if (inc.type !== 'kustomize' || !RESOURCE_ROLES.has(inc.role)) continue;
      const l = childrenOf.get(inc.file) ?? [];
      l.push({ target, role: inc.role, at: inc.span.start });
      childrenOf.set(inc.file, l);
    }
  });
  const includedBy = (file: string) => childrenOf.get(file) ?? [];

  /** Objects of the plain files among `entries` (in the order they are listed) that share an id; entries that are
   *  kustomizations are left to the engine, their objects are transformed before they meet. */
  function reportDuplicates(where: string, entries: string[]): void {
    // Objects by name (an id holds the name: only objects of one name can share one), ids made for those only: an id
    // made per object of every file a kustomization lists, nearly all of them unique, was most of this check's time.
    let seen: Map<string, ObjectFact | ObjectFact[]> | undefined;
    for (const e of entries) {
      if (isKustomization(e)) continue;
      for (const o of fileObjects(e)) {
        const named = (seen ??= new Map()).get(o.name);
        if (!named) {
          seen.set(o.name, o);
          continue;
        }
        // The first object before it of the same id (as a map of ids keeps it), else it is one more of the name.
        const id = idOf(o);
        let prev: ObjectFact | undefined;
        if (!Array.isArray(named)) {
          if (idOf(named) === id) prev = named;
          else seen.set(o.name, [named, o]);
        } else {
          prev = named.find((x) => idOf(x) === id);
          if (!prev) named.push(o);
        }
        if (prev) reportDuplicate(where, id, o, prev);
      }
    }
  }

  /** Reported at the one kustomize meets second. */
  function reportDuplicate(where: string, id: string, o: ObjectFact, prev: ObjectFact): void {
    const key = `${id}|${o.owner.file}#${o.owner.doc}|${prev.owner.file}#${prev.owner.doc}`;
    if (reported.has(key)) return;
    reported.add(key);
    const base = fleet.repositoryOf(where)?.root ?? '/';
    const label = `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`;
    findings.push({
      file: o.owner.file,
      span: o.nameSpan,
      severity: 'error',
      code: 'duplicate-object',
      message: `${label} is defined twice in the build of ${relative(base, where) || '.'}; kustomize refuses to build it.`,
      related: [{ file: prev.owner.file, span: prev.nameSpan, message: `the other ${label}` }],
    });
  }

  for (const file of fleet.facts.keys()) if (isKustomization(file)) kustomizationBuild(file);

  const compared = new Set<string>();

  for (const res of [...links.flux.values()].flat()) {
    if (!res.folder || !res.sourceRoot) continue;
    let build: Build;
    if (res.kustomizationFile) build = kustomizationBuild(res.kustomizationFile);
    else {
      // Many Flux Kustomizations may build one folder: its entries are compared once (2,000 of them were quadratic).
      // (a kustomization file's entries are compared once by its memoized build: no key for those, which held a string
      // of every path each kustomization lists while the builds were checked, copied by the scavenges of links)
      const key = `${res.folder}\0${res.entries.join('\0')}`;
      if (!compared.has(key)) {
        compared.add(key);
        reportDuplicates(res.folder, res.entries);
      }
      build = { objects: res.entries.reduce((n, e) => n + entryBuild(e).objects, 0), complete: true };
    }
    if (res.prune && build.complete && build.objects === 0) {
      findings.push({
        file: res.path.file,
        span: res.path.span,
        severity: 'error',
        code: 'empty-prune-path',
        message: `spec.path '${res.path.value}' builds no objects, and prune is true: applying it would delete everything this Kustomization deployed before.`,
      });
    }
  }
}
