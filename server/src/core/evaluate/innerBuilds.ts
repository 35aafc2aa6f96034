// Inner kustomizations built once per fleet: a base that 60 cluster overlays (or a tenant's three environments)
// list under `resources:` is the same build in each, so the kustomize engine (build.ts, BuildOptions.innerBuilds)
// keeps its result here and hands every includer a copy. An entry is reused while every path it read reads the
// same through the includer's options (which records those reads for the includer's own cache: fluxBuild.ts).
import type { Fleet } from '../model';
import type { BuildOptions, InnerBuild, InnerBuilds } from '../kustomize/build';
import type { Resource } from '../kustomize/types';
import { noReads, readsSame, recordAgain, recordedThrough, recording, type Reads } from './reads';
import { borrowBuild, ownReads } from './buildDonor';

interface Entry extends Reads {
  built: InnerBuild;
  loadRestrictions: BuildOptions['loadRestrictions'];
  /** The layout's revision when built (symbolic links and mappings decide paths outside the reads). */
  layout: number;
  /**
   * The fleet version it was made or last read the same at, and the options those reads went through in the end (a
   * fleet's or an artifact's, weakly): through those again at that version every read reads the same.
   */
  sameAt?: { version: number; source: WeakRef<BuildOptions> };
}

/** The fleet's inner builds, for BuildOptions.innerBuilds; `copy` makes an includer's own copy of a kept resource. */
export function innerBuilds(fleet: Fleet, copy: (r: Resource) => Resource): InnerBuilds {
  return {
    copy,
    reuse(dir, options, make) {
      const table = fleet.db.table<string, Entry>('innerBuild');
      const layout = fleet.db.lastChange(['layout']);
      const hit = table.get(dir);
      const { source, records } = recordedThrough(options);
      if (hit && hit.layout === layout && hit.loadRestrictions === options.loadRestrictions) {
        // A base that three environments or sixty clusters list, asked again at the same version through the same
        // options: its reads are passed on to the includers' records, not read again (each through the artifact's
        // filter and the fleet's reader: about a twentieth of a tenant overlay's build).
        if (hit.sameAt?.version === fleet.version && hit.sameAt.source.deref() === source) {
          recordAgain(hit, records);
          return hit.built;
        }
        if (readsSame(hit, options)) {
          hit.sameAt = { version: fleet.version, source: new WeakRef(source) };
          return hit.built;
        }
      }
      if (hit) table.reject(dir);
      // Another fleet of the workspace may have built it already (the change impact's baseline: buildDonor.ts).
      const lent = borrowBuild<Entry>(fleet, 'innerBuild', dir, options, (e) => e.loadRestrictions === options.loadRestrictions);
      if (lent) return table.set(dir, { ...lent, ...ownReads(lent), layout, sameAt: undefined }).built;
      const reads = noReads();
      const built = make(recording(options, reads));
      table.set(dir, { built, loadRestrictions: options.loadRestrictions, layout, ...reads, sameAt: { version: fleet.version, source: new WeakRef(source) } });
      return built;
    },
  };
}
