// What a build would contain, by object identity: duplicates within one build (kustomize fails on them) and
// Flux Kustomizations with prune whose build is empty (applying it deletes everything it applied before).
import type { Fleet } from '../model';
import type { Finding } from '../findings';
import type { ObjectFact } from '../facts';
import { RESOURCE_ROLES, type Links } from './linker';
import { relative } from '../paths';

const CLUSTER_SCOPED_FOR_IDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

interface BuiltObject {
  kind: string;
  group: string;
  namespace?: string;
  name: string;
  fact: ObjectFact;
}

interface Build {
  objects: BuiltObject[];
  /** False when part of the build could not be seen (an unmapped remote base, a cycle, a missing path). */
  complete: boolean;
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function idOf(o: BuiltObject): string {
  return `${o.group}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

export function checkBuilds(fleet: Fleet, links: Links, findings: Finding[]): void {
  const memo = new Map<string, Build>();
  const visiting = new Set<string>();
  const reported = new Set<string>();
  const kustomizationFindings = new Map<string, boolean>();
  for (const f of findings) if (f.code === 'path-not-found' || f.code === 'remote-base-not-mapped') kustomizationFindings.set(f.file, true);

  const fileObjects = (file: string): BuiltObject[] =>
    (fleet.facts.get(file)?.objects ?? []).map((o) => ({ kind: o.kind, group: groupOf(o.apiVersion), namespace: o.namespace, name: o.name, fact: o }));

  /** Objects of an entry: a kustomization file (built recursively) or a plain manifest file. */
  const entryBuild = (file: string): Build => {
    if (!fleet.facts.get(file)?.kustomize) return { objects: fileObjects(file), complete: fleet.facts.has(file) };
    return kustomizationBuild(file);
  };

  const kustomizationBuild = (file: string): Build => {
    const cached = memo.get(file);
    if (cached) return cached;
    if (visiting.has(file)) return { objects: [], complete: false };
    visiting.add(file);
    const k = fleet.facts.get(file)!.kustomize!;
    const parts: Array<{ from: string; objects: BuiltObject[] }> = [];
    let complete = !kustomizationFindings.get(file);
    for (const inc of includedBy(file)) {
      const b = entryBuild(inc);
      complete &&= b.complete;
      parts.push({ from: inc, objects: b.objects });
    }
    parts.push({ from: file + '#generators', objects: k.generated.map((g) => ({ kind: g.kind, group: '', namespace: g.namespace, name: g.name, fact: g })) });
    // Only copy objects when this level renames them (namespace, prefix, suffix).
    const renames = !!(k.namespace || k.namePrefix || k.nameSuffix);
    const transformed = renames
      ? parts.map((p) => ({
          from: p.from,
          objects: p.objects.map((o) => ({
            kind: o.kind,
            group: o.group,
            fact: o.fact,
            namespace: k.namespace && !CLUSTER_SCOPED_FOR_IDS.has(o.kind) ? k.namespace : o.namespace,
            name: (k.namePrefix ?? '') + o.name + (k.nameSuffix ?? ''),
          })),
        }))
      : parts;
    reportDuplicates(file, transformed);
    const build = { objects: transformed.flatMap((p) => p.objects), complete };
    visiting.delete(file);
    memo.set(file, build);
    return build;
  };

  /** Entries a kustomization includes as resources, in no particular order. */
  const childrenOf = new Map<string, string[]>();
  for (const [target, incs] of links.includers) {
    for (const inc of incs) {
      if (inc.type !== 'kustomize' || !RESOURCE_ROLES.has(inc.role)) continue;
      const l = childrenOf.get(inc.file) ?? [];
      l.push(target);
      childrenOf.set(inc.file, l);
    }
  }
  const includedBy = (file: string) => childrenOf.get(file) ?? [];

  function reportDuplicates(where: string, parts: Array<{ from: string; objects: BuiltObject[] }>): void {
    const seen = new Map<string, { obj: BuiltObject; from: string }>();
    for (const p of parts) {
      for (const o of p.objects) {
        const id = idOf(o);
        const prev = seen.get(id);
        if (!prev) {
          seen.set(id, { obj: o, from: p.from });
          continue;
        }
        // Two copies reached through the same child were already reported inside that child's build.
        if (prev.from === p.from && fleet.facts.get(p.from)?.kustomize) continue;
        const key = `${idOf(o)}|${o.fact.owner.file}#${o.fact.owner.doc}|${prev.obj.fact.owner.file}#${prev.obj.fact.owner.doc}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const base = fleet.repositoryOf(where)?.root ?? '/';
        const label = `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`;
        findings.push({
          file: o.fact.owner.file,
          span: o.fact.nameSpan,
          severity: 'error',
          code: 'duplicate-object',
          message: `${label} is defined twice in the build of ${relative(base, where) || '.'}; kustomize refuses to build it.`,
          related: [{ file: prev.obj.fact.owner.file, span: prev.obj.fact.nameSpan, message: `the other ${label}` }],
        });
      }
    }
  }

  for (const file of fleet.facts.keys()) if (fleet.facts.get(file)!.kustomize) kustomizationBuild(file);

  for (const res of [...links.flux.values()].flat()) {
    if (!res.folder || !res.sourceRoot) continue;
    let build: Build;
    if (res.kustomizationFile) build = kustomizationBuild(res.kustomizationFile);
    else {
      const parts = res.entries.map((f) => ({ from: f, objects: entryBuild(f).objects }));
      reportDuplicates(res.folder, parts);
      build = { objects: parts.flatMap((p) => p.objects), complete: true };
    }
    if (res.prune && build.complete && build.objects.length === 0) {
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
