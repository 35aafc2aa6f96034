// A canonical, comparable picture of a fleet: its file tree, per-file facts and linked results. An incrementally
// updated fleet and one indexed from scratch must give equal snapshots (tests and the planned property test).
import type { Fleet } from './model';

function stable(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(stable).sort();
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, stable(v)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (typeof v === 'function' || v === undefined) continue;
      out[k] = stable(v);
    }
    return out;
  }
  return value;
}

export function fleetSnapshot(fleet: Fleet): string {
  const links = fleet.links;
  const facts = [...fleet.facts.values()].map((f) => ({ ...f, lineStarts: undefined })).sort((a, b) => a.file.localeCompare(b.file));
  const findings = links.findings.map((f) => stable(f)).map((x) => JSON.stringify(x)).sort();
  const refs = [...links.refsByFile.values()].flat().map((r) => JSON.stringify(stable({ ...r, object: r.object && `${r.object.owner.file}#${r.object.owner.doc}`, objects: r.objects?.map((o) => `${o.owner.file}#${o.owner.doc}`) }))).sort();
  const flux = [...links.flux.values()].flat().map((r) => JSON.stringify(stable({ file: r.fact.owner.file, doc: r.fact.owner.doc, path: r.path, folder: r.folder, entries: r.entries, tops: r.tops }))).sort();
  return JSON.stringify({ files: [...fleet.tree.allFiles()].sort(), facts: stable(facts), findings, refs, flux });
}
