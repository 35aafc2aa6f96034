// A context's identity as a value: the folder of its root and the chain of Flux Kustomizations from the root down.
// contextKey is the string maps and the client's pinned context use (opaque: nothing takes it apart); contextLabel
// and contextLabels are the text users read. Neither is ever split back into parts (test/unit/boundaries.test.ts).

/** A Flux Kustomization of a chain, named as its parent rendered it. */
export interface ChainLink {
  readonly namespace: string;
  readonly name: string;
}

export interface ContextId {
  /** The folder of the root's document (`repo/clusters/prod`): every cluster's root is `flux-system/flux-system`. */
  readonly root: string;
  /** The Kustomizations from the root down to the one that deploys, root first (never empty). */
  readonly chain: readonly ChainLink[];
}

export function rootContextId(root: string, link: ChainLink): ContextId {
  return { root, chain: [link] };
}

export function childContextId(parent: ContextId, link: ChainLink): ContextId {
  // (concat: an array exactly as long as the chain; a spread gives it spare room, kept with every context found)
  return { root: parent.root, chain: parent.chain.concat([link]) };
}

/** `namespace/name`, as `--context` and the listings name a Kustomization. */
export function linkName(link: ChainLink): string {
  return `${link.namespace}/${link.name}`;
}

/** The Kustomization that deploys in this context (the chain's last), `namespace/name`. */
export function deployerName(id: ContextId): string {
  return linkName(id.chain[id.chain.length - 1]);
}

/** Whether `name` (`namespace/name`) is one of the chain's Kustomizations. */
export function inChain(id: ContextId, name: string): boolean {
  return id.chain.some((l) => linkName(l) === name);
}

/** A stable string for maps and sets, equal for equal ids (never parsed). */
export function contextKey(id: ContextId): string {
  return JSON.stringify([id.root, ...id.chain.map(linkName)]);
}

export function sameContextId(a: ContextId, b: ContextId): boolean {
  return contextKey(a) === contextKey(b);
}

/** The whole id as users read it: `repo/clusters/prod: flux-system/flux-system > flux-system/apps`. */
export function contextLabel(id: ContextId): string {
  return `${id.root}: ${id.chain.map(linkName).join(' > ')}`;
}

/** One context in a finding's message: the deploying Kustomization and the root's folder. */
export function contextShortLabel(id: ContextId): string {
  return `${deployerName(id)} (${id.root})`;
}

/** `--context TEXT`: a Kustomization of the chain, or the beginning of the whole label (a cluster's folder). */
export function contextMatches(id: ContextId, text: string): boolean {
  return inChain(id, text) || contextLabel(id).startsWith(text);
}

/**
 * Short names for contexts listed together: the Kustomization that deploys (the chain's last name), prefixed with
 * the root's folder when several contexts share that name (every cluster deploys `flux-system/tenant-a`) — only the
 * part of the folders that differs (`prod`, `staging`, not `platform/clusters/prod/flux-system`) — and the whole
 * label when even that is ambiguous. Returns the label of each of `ids` (by key; an id not listed: its whole label).
 * `keyOf`: contextKey, or a memo of it (a hover's table names each of 60 contexts several times).
 */
export function contextLabels(ids: Iterable<ContextId>, keyOf: (id: ContextId) => string = contextKey): (id: ContextId) => string {
  const unique = new Map<string, ContextId>();
  for (const id of ids) unique.set(keyOf(id), id);
  // A root goes by its whole label: every cluster's root is flux-system/flux-system.
  const shortName = (id: ContextId) => (id.chain.length > 1 ? deployerName(id) : contextLabel(id));
  const byDeployer = new Map<string, Array<[string, ContextId]>>();
  for (const entry of unique) {
    const name = shortName(entry[1]);
    const group = byDeployer.get(name);
    if (group) group.push(entry);
    else byDeployer.set(name, [entry]);
  }
  const out = new Map<string, string>();
  for (const [name, group] of byDeployer) {
    if (group.length === 1) {
      out.set(group[0][0], name);
      continue;
    }
    const folders = distinctParts(group.map(([, id]) => id.root));
    const labels = group.map((_, i) => `${folders[i]} › ${name}`);
    const times = new Map<string, number>();
    for (const l of labels) times.set(l, (times.get(l) ?? 0) + 1);
    group.forEach(([key, id], i) => out.set(key, times.get(labels[i]) === 1 && folders[i] ? labels[i] : contextLabel(id)));
  }
  return (id) => out.get(keyOf(id)) ?? contextLabel(id);
}

/** The folders without the leading and trailing path segments they all share (at least one segment kept). */
export function distinctParts(folders: string[]): string[] {
  const split = folders.map((f) => f.split('/'));
  const shortest = Math.min(...split.map((s) => s.length));
  let head = 0;
  while (head < shortest - 1 && split.every((s) => s[head] === split[0][head])) head++;
  let tail = 0;
  while (tail < shortest - head - 1 && split.every((s) => s[s.length - 1 - tail] === split[0][split[0].length - 1 - tail])) tail++;
  return split.map((s) => s.slice(head, s.length - tail).join('/'));
}
