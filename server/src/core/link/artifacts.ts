// ExternalArtifacts made by a Flux ArtifactGenerator: a path inside the artifact is traced back through the copy
// rules (`@alias/dir/**` → `@artifact/dest/`) to a folder of the origin source.
import type { ArtifactGeneratorFact } from '../facts';
import { join } from '../paths';
import type { SourceRoot } from './types';
import { commonPrefix } from './linker';

interface CopyRule {
  alias: string;
  srcPrefix: string;
  destPrefix: string;
}

function parseRule(from: string, to: string): CopyRule | undefined {
  const f = /^@([^/]+)\/?(.*)$/.exec(from);
  const t = /^@artifact\/?(.*)$/.exec(to);
  if (!f || !t) return undefined;
  // Only folder copies (`dir/**`, `dir/*`, `dir/`) map folders; single-file copies do not make a folder.
  const src = f[2].replace(/\*\*?$/, '');
  if (src !== '' && !src.endsWith('/')) return undefined;
  const dest = t[1] === '' || t[1].endsWith('/') ? t[1] : t[1] + '/';
  return { alias: f[1], srcPrefix: src, destPrefix: dest };
}

export interface ArtifactSource {
  generator: ArtifactGeneratorFact;
  source: { kind: string; name: string; namespace?: string };
  rules: CopyRule[];
}

/** The generator of the artifact named `name` (in `namespace` when known), the one closest to `from` first. */
export function findArtifact(generators: ArtifactGeneratorFact[], name: string, namespace: string | undefined, from: string): ArtifactGeneratorFact | undefined {
  return generators
    .filter((g) => (namespace === undefined || g.namespace === undefined || g.namespace === namespace) && g.artifacts.some((a) => a.name === name))
    .sort((a, b) => commonPrefix(from, b.owner.file) - commonPrefix(from, a.owner.file))[0];
}

/**
 * A SourceRoot for the artifact whose `mapPath` follows the copy rules, given a resolver for the generator's
 * sources (alias → local root).
 */
export function artifactRoot(gen: ArtifactGeneratorFact, name: string, rootOfAlias: (alias: string) => SourceRoot | undefined): SourceRoot | undefined {
  const artifact = gen.artifacts.find((a) => a.name === name);
  if (!artifact) return undefined;
  const rules = artifact.copy.map((c) => parseRule(c.from, c.to)).filter((r): r is CopyRule => !!r);
  const first = rules.map((r) => rootOfAlias(r.alias)).find((r) => r);
  if (!first) return undefined;
  return {
    folder: first.folder,
    via: `ExternalArtifact ${name} assembled by ArtifactGenerator ${gen.namespace ?? '?'}/${artifact.name} from ${first.via}`,
    mapPath: (relPath: string) => {
      const p = relPath === '' || relPath === '.' ? '' : relPath.replace(/\/?$/, '/');
      let best: CopyRule | undefined;
      for (const r of rules) if (p.startsWith(r.destPrefix) && (!best || r.destPrefix.length > best.destPrefix.length)) best = r;
      if (!best) return undefined;
      const root = rootOfAlias(best.alias);
      return root ? join(root.folder, best.srcPrefix, p.slice(best.destPrefix.length)).replace(/\/$/, '') : undefined;
    },
  };
}
