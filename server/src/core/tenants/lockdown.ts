// Where the fleet locks Flux down for tenants: FluxInstance `spec.cluster.multitenant` (with
// `tenantDefaultServiceAccount`), and the controller flags bootstrap fleets add with kustomize patches on the
// flux-system controllers (`--no-cross-namespace-refs=true`, `--no-remote-bases=true`, `--default-service-account=…`).
// A declaration applies to one cluster: the root Kustomizations written in its cluster folder (the folder of the
// declaring file, or the one above when that is bootstrap's `flux-system/`).
import type { Fleet } from '../model';
import type { JsonObject } from '../kustomize/types';
import { loadManifests } from '../kustomize/load';
import { basename, dirname, isInside } from '../paths';
import type { Context } from '../evaluate/contexts';
import type { Lockdown, LockdownDeclaration } from './types';

const FLAG = /--(no-cross-namespace-refs|no-remote-bases)(?:=(true|false))?(?![\w-])|--default-service-account=([A-Za-z0-9][A-Za-z0-9.-]*)/g;

function scopeOf(file: string): string {
  const dir = dirname(file);
  return basename(dir) === 'flux-system' ? dirname(dir) : dir;
}

/** Files where controller flags can be set: patches (kustomization files, JSON patch files), Deployments, FluxInstances. */
function mayDeclare(fleet: Fleet, file: string): boolean {
  const f = fleet.facts.get(file);
  if (!f || f.skipped) return false;
  return !!f.kustomize?.patches.length || !!f.jsonPatchOps || f.objects.some((o) => o.kind === 'FluxInstance' || o.kind === 'Deployment');
}

export function lockdownDeclarations(fleet: Fleet): LockdownDeclaration[] {
  const out: LockdownDeclaration[] = [];
  for (const [file, facts] of fleet.facts) {
    if (!mayDeclare(fleet, file)) continue;
    const text = facts.text;
    for (const m of text.matchAll(FLAG)) {
      const lineStart = text.lastIndexOf('\n', m.index!) + 1;
      if (text.slice(lineStart, m.index!).includes('#')) continue; // commented out
      if (m[2] === 'false') continue;
      const span = { start: m.index!, end: m.index! + m[0].length };
      if (m[3]) out.push({ flag: 'default-service-account', value: m[3], file, span, via: m[0], scope: scopeOf(file) });
      else out.push({ flag: m[1] as 'no-cross-namespace-refs' | 'no-remote-bases', file, span, via: m[0], scope: scopeOf(file) });
    }
    if (!facts.objects.some((o) => o.kind === 'FluxInstance')) continue;
    for (const r of loadManifests(text, file, 'resource').resources) {
      if (r.obj.kind !== 'FluxInstance') continue;
      const cluster = ((r.obj.spec as JsonObject | undefined)?.cluster ?? {}) as JsonObject;
      if (cluster.multitenant !== true) continue;
      const meta = (r.obj.metadata ?? {}) as JsonObject;
      const name = `FluxInstance ${String(meta.namespace ?? 'flux-system')}/${String(meta.name ?? '')}`;
      const at = (p: string) => r.prov.get(p)?.at(-1)?.span ?? r.origin.span ?? { start: 0, end: 0 };
      out.push({ flag: 'no-cross-namespace-refs', file, span: at('/spec/cluster/multitenant'), via: `${name} spec.cluster.multitenant: true`, scope: scopeOf(file) });
      // The operator's default: the `default` service account of the tenant's namespace.
      const sa = typeof cluster.tenantDefaultServiceAccount === 'string' ? cluster.tenantDefaultServiceAccount : 'default';
      const saAt = typeof cluster.tenantDefaultServiceAccount === 'string' ? '/spec/cluster/tenantDefaultServiceAccount' : '/spec/cluster/multitenant';
      out.push({ flag: 'default-service-account', value: sa, file, span: at(saAt), via: `${name} spec.cluster.${saAt.endsWith('multitenant') ? 'multitenant (tenantDefaultServiceAccount defaults to default)' : `tenantDefaultServiceAccount: ${sa}`}`, scope: scopeOf(file) });
    }
  }
  return out;
}

/** The lockdown a context runs under: the declarations whose cluster folder holds its root Kustomization. */
export function lockdownOf(ctx: Context, declarations: LockdownDeclaration[]): Lockdown {
  let root = ctx;
  while (root.parent) root = root.parent;
  const rootFile = root.fact.owner.file;
  const applies = declarations.filter((d) => isInside(d.scope, rootFile) || (root.skeleton.folder !== undefined && isInside(root.skeleton.folder, d.file)));
  const first = (flag: LockdownDeclaration['flag']) => applies.find((d) => d.flag === flag);
  return { noCrossNamespaceRefs: first('no-cross-namespace-refs'), noRemoteBases: first('no-remote-bases'), defaultServiceAccount: first('default-service-account'), any: applies[0] };
}
