// Inner kustomizations built once per fleet: a base that 60 cluster overlays (or a tenant's three environments)
// list under `resources:` is the same build in each, so the kustomize engine (build.ts, BuildOptions.innerBuilds)
// keeps its result here and hands every includer a copy. An entry is reused while every path it read reads the
// same through the includer's options (which records those reads for the includer's own cache: fluxBuild.ts).
import type { Fleet } from '../model';
import type { BuildOptions, InnerBuild, InnerBuilds } from '../kustomize/build';
import type { Resource } from '../kustomize/types';
import { FileTooLarge } from '../kustomize/generators';

interface Entry {
  built: InnerBuild;
  loadRestrictions: BuildOptions['loadRestrictions'];
  /** The layout's revision when built (symbolic links and mappings decide paths outside the reads). */
  layout: number;
  reads: Map<string, string | undefined>;
  bytes: Map<string, Uint8Array | undefined>;
  remotes: Map<string, string | undefined>;
}

/** Reads `entry`'s paths again through `options` (so the includer records them too): all the same? */
function readsSame(entry: Entry, options: BuildOptions): boolean {
  for (const [p, text] of entry.reads) if (options.readFile(p) !== text) return false;
  for (const [p, bytes] of entry.bytes) if (!sameBytes(options.readBytes?.(p), bytes)) return false;
  for (const [url, folder] of entry.remotes) if (options.resolveRemote?.(url) !== folder) return false;
  return true;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (a instanceof FileTooLarge || b instanceof FileTooLarge) return a instanceof FileTooLarge && b instanceof FileTooLarge && a.size === b.size;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Options that record into `entry` what the build reads, passing every read on to `options`. */
function recording(options: BuildOptions, entry: Pick<Entry, 'reads' | 'bytes' | 'remotes'>): BuildOptions {
  return {
    ...options,
    readFile: (p) => {
      const t = options.readFile(p);
      entry.reads.set(p, t);
      return t;
    },
    readBytes: options.readBytes && ((p) => {
      const b = options.readBytes!(p);
      entry.bytes.set(p, b);
      return b;
    }),
    resolveRemote: options.resolveRemote && ((url) => {
      const f = options.resolveRemote!(url);
      entry.remotes.set(url, f);
      return f;
    }),
  };
}

/** The fleet's inner builds, for BuildOptions.innerBuilds; `copy` makes an includer's own copy of a kept resource. */
export function innerBuilds(fleet: Fleet, copy: (r: Resource) => Resource): InnerBuilds {
  return {
    copy,
    reuse(dir, options, make) {
      const table = fleet.db.table<string, Entry>('innerBuild');
      const layout = fleet.db.lastChange(['layout']);
      const hit = table.get(dir);
      if (hit && hit.layout === layout && hit.loadRestrictions === options.loadRestrictions && readsSame(hit, options)) return hit.built;
      if (hit) table.reject(dir);
      const reads = { reads: new Map(), bytes: new Map(), remotes: new Map() };
      const built = make(recording(options, reads));
      table.set(dir, { built, loadRestrictions: options.loadRestrictions, layout, ...reads });
      return built;
    },
  };
}
