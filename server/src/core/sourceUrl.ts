// Canonical forms of Git and OCI URLs, so that every spelling of one repository maps to the same key,
// and parsing of the remote targets kustomize accepts in `resources:`.

/** Hosts that are another door into the same service (GitHub's SSH-over-443 host, GitLab's alt SSH). */
const HOST_ALIASES: Record<string, string> = {
  'ssh.github.com': 'github.com',
  'altssh.gitlab.com': 'gitlab.com',
  'www.github.com': 'github.com',
};

/** Hosts where a repository is always `owner/name`, so `host/owner/name/sub/path` needs no `//`. */
const OWNER_NAME_HOSTS: ReadonlySet<string> = new Set(['github.com', 'gitlab.com', 'bitbucket.org']);

export interface ParsedGitUrl {
  host: string;
  /** Repository path without leading slash and without `.git`. */
  repoPath: string;
}

/**
 * Splits a Git URL (https, http, ssh, git, scp-like `user@host:path`, or scheme-less `host/path`) into host and path.
 * Returns undefined for anything that is not recognisably a remote Git URL.
 */
export function parseGitUrl(raw: string): ParsedGitUrl | undefined {
  let url = raw.trim();
  if (url.startsWith('git::')) url = url.slice(5);
  let host: string;
  let rest: string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    const s = scheme[1].toLowerCase();
    if (!['http', 'https', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(s)) return undefined;
    const afterScheme = url.slice(scheme[0].length);
    const slash = afterScheme.indexOf('/');
    const authority = slash < 0 ? afterScheme : afterScheme.slice(0, slash);
    rest = slash < 0 ? '' : afterScheme.slice(slash + 1);
    host = authority.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
  } else {
    const scp = /^([^@/\s]+@)?([a-z0-9.-]+\.[a-z]{2,}|localhost):(?!\/\/)(.*)$/i.exec(url);
    if (scp && scp[1]) {
      host = scp[2];
      rest = scp[3];
    } else {
      const bare = /^([a-z0-9-]+(\.[a-z0-9-]+)+)\/(.+)$/i.exec(url);
      if (!bare || !OWNER_NAME_HOSTS.has(bare[1].toLowerCase())) return undefined;
      host = bare[1];
      rest = bare[3];
    }
  }
  host = host.toLowerCase();
  host = HOST_ALIASES[host] ?? host;
  const repoPath = rest.replace(/[?#].*$/, '').replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  if (!host || !repoPath) return undefined;
  return { host, repoPath };
}

/** The key a Git repository is matched by: `host/owner/name`, lower case. */
export function gitRepoKey(raw: string): string | undefined {
  const p = parseGitUrl(raw);
  return p ? `${p.host}/${p.repoPath}`.toLowerCase() : undefined;
}

/** The key an OCI repository URL is matched by: `oci://host/path`, host lower case, no tag or digest. */
export function ociRepoKey(raw: string): string | undefined {
  const m = /^oci:\/\/([^/]+)\/(.+)$/i.exec(raw.trim());
  if (!m) return undefined;
  const path = m[2].replace(/@sha256:.*$/, '').replace(/:[^/:]+$/, '').replace(/\/+$/, '');
  return `oci://${m[1].toLowerCase()}/${path}`;
}

export interface RemoteTarget {
  /** Canonical repository key (see gitRepoKey). */
  repoKey: string;
  /** Folder inside the repository, without leading or trailing slash ('' for the root). */
  subPath: string;
  /** `?ref=` / `?version=` when given. */
  ref?: string;
}

/** True when a kustomize `resources:` entry is a URL rather than a local path. */
export function looksRemote(entry: string): boolean {
  return /^(git::|[a-z][a-z0-9+.-]*:\/\/|[^@/\s]+@[^:/\s]+:)/i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(entry);
}

/**
 * Parses a kustomize remote target in any form kustomize accepts
 * (`https://host/org/repo//path?ref=x`, `github.com/org/repo/path?ref=x`, `git@host:org/repo.git//path`, `git::…`).
 * Returns undefined for URLs that are not Git repositories (e.g. a plain https link to a YAML file).
 */
export function parseRemoteTarget(entry: string): RemoteTarget | undefined {
  let url = entry.trim();
  if (url.startsWith('git::')) url = url.slice(5);
  let ref: string | undefined;
  const q = url.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(url.slice(q + 1));
    ref = params.get('ref') ?? params.get('version') ?? undefined;
    url = url.slice(0, q);
  }
  const schemeEnd = url.indexOf('://');
  const searchFrom = schemeEnd >= 0 ? schemeEnd + 3 : 0;
  let repoPart = url;
  let subPath = '';
  const dbl = url.indexOf('//', searchFrom);
  if (dbl >= 0) {
    repoPart = url.slice(0, dbl);
    subPath = url.slice(dbl + 2);
  } else if (/^https?:\/\//i.test(url) && /\.(ya?ml|json)$/i.test(url)) {
    return undefined; // a plain file download, not a Git base
  } else {
    const dotGit = /\.git(\/|$)/i.exec(url.slice(searchFrom));
    if (dotGit) {
      const at = searchFrom + dotGit.index + 4;
      repoPart = url.slice(0, at);
      subPath = url.slice(at + 1);
    } else {
      const parsed = parseGitUrl(url);
      if (!parsed) return undefined;
      if (OWNER_NAME_HOSTS.has(parsed.host)) {
        const segs = parsed.repoPath.split('/');
        if (segs.length < 2) return undefined;
        const key = `${parsed.host}/${segs[0]}/${segs[1]}`.toLowerCase();
        return { repoKey: key, subPath: segs.slice(2).join('/'), ref };
      }
      // Unknown host and no `//` or `.git`: a plain URL, e.g. a raw YAML file, not a Git base.
      if (/\.(ya?ml|json)$/i.test(url)) return undefined;
    }
  }
  const repoKey = gitRepoKey(repoPart);
  if (!repoKey) return undefined;
  return { repoKey, subPath: subPath.replace(/^\/+|\/+$/g, ''), ref };
}
