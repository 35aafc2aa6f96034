// Inner kustomizations built once per fleet: a base that 60 cluster overlays (or a tenant's three environments)
// list under `resources:` is the same build in each, so the kustomize engine (build.ts, BuildOptions.innerBuilds)
// keeps its result here and hands every includer a copy. An entry is reused while every path it read reads the
// same through the includer's options. The includer holds each entry it took (Reads.inner), and with it the entry's
// reads: they are recorded in the entry alone, read through the options the includer's records read through.
import type { Fleet } from '../model';
import type { BuildOptions, InnerBuild, InnerBuilds } from '../kustomize/build';
import type { Resource } from '../kustomize/types';
import { hold, noReads, passOn, readsSame, recordedThrough, recording, recordsOf, type Reads } from './reads';
import { borrowBuild, ownReads } from './buildDonor';

interface Entry extends Reads {
  built: InnerBuild;
  /** The folder it builds (the table's key). */
  dir: string;
  loadRestrictions: BuildOptions['loadRestrictions'];
  /** The layout's revision when built (symbolic links and mappings decide paths outside the reads). */
  layout: number;
  /**
   * The fleet version it was made or last read the same at, and the options those reads went through in the end (a
   * fleet's or an artifact's, weakly): through those again at that version every read reads the same.
   */
  sameAt?: { version: number; source: WeakRef<BuildOptions> };
}

function entry(built: InnerBuild, dir: string, loadRestrictions: Entry['loadRestrictions'], layout: number, reads: Reads, sameAt: Entry['sameAt']): Entry {
  return { built, dir, loadRestrictions, layout, reads: reads.reads, bytes: reads.bytes, remotes: reads.remotes, inner: reads.inner, innerAt: reads.innerAt, sameAt };
}

/** The fleet's inner builds, for BuildOptions.innerBuilds; `copy` makes an includer's own copy of a kept resource. */
export function innerBuilds(fleet: Fleet, copy: (r: Resource) => Resource): InnerBuilds {
  return {
    copy,
    reuse(dir, options, make) {
      const table = fleet.db.table<string, Entry>('innerBuild');
      const layout = fleet.db.lastChange(['layout']);
      const inTable = table.get(dir);
      // Past the table's bound, an entry a kept folder build still holds (see keep) is found through it: searched only
      // for a folder built before (the first build of each of a fleet's thousand bases found nothing: 0.2 s of a warm-up).
      const made = fleet.db.table<string, true>('innerBuildMade');
      const hit = inTable ?? (made.get(dir) ? heldEntry(fleet, dir) : undefined);
      const { source, records } = recordedThrough(options);
      // What is read for the entry is not recorded by the includer's records again: the includer holds the entry (keep).
      const through = records.length ? source : options;
      if (hit && hit.layout === layout && hit.loadRestrictions === options.loadRestrictions) {
        // A base that three environments or sixty clusters list, asked again at the same version through the same
        // options: not read again (each through the artifact's filter and the fleet's reader: about a twentieth of a
        // tenant overlay's build); the includer holds it, and its reads with it.
        let same = hit.sameAt?.version === fleet.version && hit.sameAt.source.deref() === source;
        if (!same && (same = readsSame(hit, through))) hit.sameAt = { version: fleet.version, source: new WeakRef(source) };
        if (same) {
          if (!inTable) table.set(dir, hit);
          return keep(options, hit).built;
        }
      }
      if (inTable) table.reject(dir);
      // Another fleet of the workspace may have built it already (the change impact's baseline: buildDonor.ts).
      const lent = borrowBuild<Entry>(fleet, 'innerBuild', dir, through, (e) => e.loadRestrictions === options.loadRestrictions);
      made.set(dir, true);
      // (not the entries the donor's held: found through this one, they would skip borrowBuild's check of the paths)
      // (entries are literals of one shape, not spreads: see copyOwnKeys)
      if (lent) return keep(options, table.set(dir, entry(lent.built, dir, lent.loadRestrictions, layout, ownReads(lent), undefined))).built;
      const reads = noReads();
      let built: InnerBuild;
      try {
        built = make(recording(through, reads));
      } catch (e) {
        // A build that fails is not kept: what it read is its includer's own reads (the includer fails with it).
        const into = recordsOf(options);
        if (into) passOn(reads, into);
        throw e;
      }
      return keep(options, table.set(dir, entry(built, dir, options.loadRestrictions, layout, reads, { version: fleet.version, source: new WeakRef(source) }))).built;
    },
  };
}

/**
 * The includer building through `options` (a folder build or an inner build, recording its reads) holds `entry`. The
 * table is bounded by the resources its entries hold, but those are mostly their includers' too (the includers'
 * copies read an entry's objects and provenance maps): an entry dropped while its includers were kept freed little,
 * and the next includer built it anew, with objects of its own (the synthetic fleet's warm-up, every context found,
 * held each tenant's base once per environment: 25 MB). Held, it is found again while any includer is kept.
 */
function keep(options: BuildOptions, entry: Entry): Entry {
  const into = recordsOf(options);
  if (into) hold(into, entry);
  return entry;
}

/** An entry for `dir` that a kept folder build holds (itself, or through an inner build it holds). */
function heldEntry(fleet: Fleet, dir: string): Entry | undefined {
  const seen = new Set<object>();
  const find = (held: object[] | undefined): Entry | undefined => {
    for (const x of held ?? []) {
      if (seen.has(x)) continue;
      seen.add(x);
      const e = x as Entry;
      const found = e.dir === dir ? e : find(e.inner);
      if (found) return found;
    }
    return undefined;
  };
  for (const b of fleet.db.lru<string, Reads>('folderBuild').lru.values()) {
    const found = b.inner && find(b.inner);
    if (found) return found;
  }
  return undefined;
}
