// Where a source's content lives locally: explicit mappings first, then repositories discovered by origin URL.
import type { SourceMapping } from '../fleetConfig';
import { repositoryOf, type Repository } from '../workspace';
import { relative } from '../paths';
import { gitRepoKey, ociRepoKey } from '../sourceUrl';
import type { SourceRoot } from './types';
import { substitute } from '../kustomize/substitute';

export interface SourceQuery {
  kind: string;
  name?: string;
  /** Effective namespaces of the source object (undefined entries: unknown). */
  namespaces?: Iterable<string | undefined>;
  url?: string;
  branch?: string;
}

export class SourceRoots {
  constructor(
    private readonly mappings: SourceMapping[],
    private readonly repositories: Repository[],
  ) {}

  private via(m: SourceMapping): string {
    return m.declaredIn ? `mapped in ${this.display(m.declaredIn.file)}` : 'mapped by the fluxFleet.repositories setting';
  }

  /** `repo/path` rather than an absolute path: messages stay short in every editor. */
  private display(p: string): string {
    const repo = repositoryOf(this.repositories, p);
    return repo ? `${repo.name}/${relative(repo.root, p)}`.replace(/\/$/, '') : p;
  }

  /** The local folder a source object maps to, or undefined when nothing maps it. */
  resolve(q: SourceQuery): SourceRoot | undefined {
    if (q.name !== undefined) {
      for (const ns of q.namespaces ?? [undefined]) {
        const m = this.mappings.find((m) => m.key.type === 'object' && m.key.kind === q.kind && m.key.name === q.name && (ns === undefined || m.key.namespace === ns || m.key.namespace === '*'));
        if (m) return { folder: m.folder, via: this.via(m) };
      }
    }
    const url = q.url && urlWithDefaults(q.url);
    if (!url) return undefined;
    if (/^oci:\/\//i.test(url)) {
      const key = ociRepoKey(url);
      const m = key && this.mappings.find((m) => m.key.type === 'oci' && m.key.key === key);
      return m ? { folder: m.folder, via: this.via(m) } : undefined;
    }
    const repoKey = gitRepoKey(url);
    return repoKey ? this.resolveGit(repoKey, q.branch) : undefined;
  }

  /** A Git repository (by canonical key) at a branch or ref: mapping with that branch, mapping without one, or a discovered clone. */
  resolveGit(repoKey: string, branch?: string): SourceRoot | undefined {
    const git = this.mappings.filter((m) => m.key.type === 'git' && m.key.repoKey === repoKey);
    const exact = branch !== undefined ? git.find((m) => m.key.type === 'git' && m.key.branch === branch) : undefined;
    const any = git.find((m) => m.key.type === 'git' && m.key.branch === undefined);
    const m = exact ?? any;
    if (m) return { folder: m.folder, via: this.via(m) };
    const clones = this.repositories.filter((r) => r.originKey === repoKey);
    const clone = clones.find((r) => branch !== undefined && r.branch === branch) ?? clones[0];
    return clone ? { folder: clone.root, via: `the clone ${clone.name} (origin ${clone.originUrl})` } : undefined;
  }
}

/**
 * A source URL as a mapping can name it: `${var:=default}` and `${var:-default}` take their default (real fleets write
 * `ssh://git@github.com:${github_port:=443}/…`); undefined when a variable without a default is left.
 */
export function urlWithDefaults(url: string): string | undefined {
  // Flux's own substitution with no variables defined: defaults apply, and a use without one has no value.
  const r = substitute(url, () => undefined);
  return r.errors.length || r.uses.some((u) => u.value === undefined) ? undefined : r.text;
}

/** The key to write into `.flux-fleet.yaml` for an unmapped source. */
export function mappingKeyFor(kind: string, namespace: string | undefined, name: string, written: string | undefined, branch: string | undefined): string {
  const url = written && urlWithDefaults(written);
  if (url && (kind === 'GitRepository' || kind === 'OCIRepository')) return branch && branch !== 'main' && branch !== 'master' ? `${url}#${branch}` : url;
  return `${kind}/${namespace ?? 'flux-system'}/${name}`;
}
