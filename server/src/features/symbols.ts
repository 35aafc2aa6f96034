// Workspace symbols: Flux (and Giant Swarm) objects by name.
import type { Fleet } from '../core/model';
import type { ObjectFact } from '../core/facts';

export function workspaceSymbols(fleet: Fleet, query: string, limit = 500): ObjectFact[] {
  const q = query.toLowerCase();
  const out: ObjectFact[] = [];
  for (const entry of fleet.links.objects.all) {
    const o = entry.fact;
    if (!/fluxcd\.io\/|giantswarm\.io\//.test(o.apiVersion)) continue;
    if (q && !fuzzy(o.name.toLowerCase(), q) && !fuzzy(o.kind.toLowerCase(), q)) continue;
    out.push(o);
    if (out.length >= limit) break;
  }
  return out;
}

/** Characters of `q` appear in `s` in order (VS Code's symbol search does the same). */
function fuzzy(s: string, q: string): boolean {
  let i = 0;
  for (const c of s) if (c === q[i]) i++;
  return i === q.length;
}
