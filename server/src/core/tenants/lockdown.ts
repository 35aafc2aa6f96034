// Where the fleet locks Flux down for tenants: FluxInstance `spec.cluster.multitenant` (with
// `tenantDefaultServiceAccount`), and the controller flags bootstrap fleets add with kustomize patches on the
// flux-system controllers (`--no-cross-namespace-refs=true`, `--no-remote-bases=true`, `--default-service-account=…`),
// each set on the controllers its patch targets. A declaration applies to one cluster: the root Kustomizations written
// in its cluster folder (the folder of the declaring file, or the one above when that is bootstrap's `flux-system/`),
// or whose build holds the declaring file.
import type { Fleet } from '../model';
import type { FileFacts } from '../facts';
import type { JsonObject, Resource } from '../kustomize/types';
import { loadManifests } from '../kustomize/load';
import { stepLayer } from '../layer';
import { basename, dirname, isInside } from '../paths';
import type { Context } from '../evaluate/contexts';
import { runSteps, type Steps } from '../steps';
import { obj, str } from './objects';
import type { ComponentsDeclaration, Controller, Lockdown, LockdownDeclaration } from './types';

const FLAG = /--(no-cross-namespace-refs|no-remote-bases)(?:=(true|false))?(?![\w-])|--default-service-account=([A-Za-z0-9][A-Za-z0-9.-]*)/g;

function scopeOf(file: string): string {
  const dir = dirname(file);
  return basename(dir) === 'flux-system' ? dirname(dir) : dir;
}

/** Files where controller flags can be set: patches (kustomization files, JSON patch files), Deployments, FluxInstances. */
function mayDeclare(f: FileFacts): boolean {
  return !f.skipped && (!!f.kustomize?.patches.length || !!f.jsonPatchOps || f.objects.some((o) => o.kind === 'FluxInstance' || o.kind === 'Deployment'));
}

const inside = (offset: number, span: { start: number; end: number } | undefined) => !!span && span.start <= offset && offset < span.end;

/** The controllers a flag at `offset` of a file is set on: its patch's target name, or its Deployment's name. */
function controllersAt(fleet: Fleet, facts: FileFacts, offset: number, instances: Resource[]): string | undefined {
  for (const p of facts.kustomize?.patches ?? []) if (p.inline?.ops.some((op) => inside(offset, op.valueSpan))) return p.target?.name;
  if (facts.jsonPatchOps) {
    // A patch file: the kustomizations that use it say what it targets.
    for (const other of fleet.facts.values()) for (const p of other.kustomize?.patches ?? []) if (p.file === facts.file) return p.target?.name;
  }
  const deployment = facts.objects.find((o) => o.kind === 'Deployment' && inside(offset, o.span));
  if (deployment) return deployment.name;
  for (const r of instances) {
    const patches = Array.isArray(obj(obj(r.obj.spec)?.kustomize)?.patches) ? (obj(obj(r.obj.spec)?.kustomize)!.patches as JsonObject[]) : [];
    const i = patches.findIndex((_, i) => inside(offset, r.prov.get(`/spec/kustomize/patches/${i}/patch`)?.at(-1)?.span));
    if (i >= 0) return str(obj(obj(patches[i])?.target)?.name);
  }
  return undefined;
}

/**
 * The controller flags a file's text sets (not commented out, not `=false`): read once per file text, since the
 * evaluation asks for every file's after each edit and a fleet has thousands of kustomization files with patches.
 */
function flagsIn(fleet: Fleet, facts: FileFacts): RegExpMatchArray[] {
  return fleet.db.weak<FileFacts, RegExpMatchArray[]>('lockdownFlags').getOrMake(facts, () => {
    const text = facts.text;
    const out: RegExpMatchArray[] = [];
    for (const m of text.matchAll(FLAG)) {
      const lineStart = text.lastIndexOf('\n', m.index!) + 1;
      if (text.slice(lineStart, m.index!).includes('#')) continue; // commented out
      if (m[2] === 'false') continue;
      out.push(m);
    }
    return out.length ? out : NO_FLAGS;
  });
}

/** A file that sets no flag (most): one shared empty list kept for it, not one per file. */
const NO_FLAGS: RegExpMatchArray[] = Object.freeze([]) as unknown as RegExpMatchArray[];

/** The Flux Operator's default `spec.components` of a FluxInstance. */
const DEFAULT_COMPONENTS: readonly string[] = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'];

export function lockdownDeclarations(fleet: Fleet, components: ComponentsDeclaration[] = []): LockdownDeclaration[] {
  return runSteps(lockdownDeclarationsSteps(fleet, components));
}

/** How many files lockdownDeclarationsSteps looks at between two yields (a fleet has tens of thousands). */
const FILES_PER_STEP = 1000;

/** lockdownDeclarations in steps: yields every FILES_PER_STEP files (the whole fleet is scanned at each evaluation). */
export function* lockdownDeclarationsSteps(fleet: Fleet, components: ComponentsDeclaration[] = []): Steps<LockdownDeclaration[]> {
  const out: LockdownDeclaration[] = [];
  let n = 0;
  // (One array, walked by index: the generator's body runs unoptimized, and a Map's iterator made an entry pair and a
  // result per file of the fleet.)
  const files = [...fleet.facts.values()];
  for (let i = 0; i < files.length; i++) {
    const facts = files[i];
    const file = facts.file;
    if (++n % FILES_PER_STEP === 0) yield;
    if (!mayDeclare(facts)) continue;
    const text = facts.text;
    const instances = facts.objects.some((o) => o.kind === 'FluxInstance') ? loadManifests(text, file, stepLayer('resource'), undefined, fleet.parse(file, text)).resources.filter((r) => r.obj.kind === 'FluxInstance') : [];
    for (const m of flagsIn(fleet, facts)) {
      const span = { start: m.index!, end: m.index! + m[0].length };
      const controllers = controllersAt(fleet, facts, m.index!, instances);
      const common = { file, span, via: m[0], scope: scopeOf(file), ...(controllers !== undefined ? { controllers } : {}) };
      if (m[3]) out.push({ flag: 'default-service-account', value: m[3], ...common });
      else out.push({ flag: m[1] as 'no-cross-namespace-refs' | 'no-remote-bases', ...common });
    }
    for (const r of instances) {
      const cluster = obj(obj(r.obj.spec)?.cluster) ?? {};
      const meta = obj(r.obj.metadata) ?? {};
      const name = `FluxInstance ${String(meta.namespace ?? 'flux-system')}/${String(meta.name ?? '')}`;
      const at = (p: string) => r.prov.get(p)?.at(-1)?.span ?? r.origin.span ?? { start: 0, end: 0 };
      const listed = obj(r.obj.spec)?.components;
      const names = Array.isArray(listed) ? listed.filter((c): c is string => typeof c === 'string') : undefined;
      components.push({ names: names ?? [...DEFAULT_COMPONENTS], file, span: at(names ? '/spec/components' : ''), via: `${name} spec.components${names ? '' : ' (the default set)'}`, scope: scopeOf(file) });
      if (cluster.multitenant !== true) continue;
      out.push({ flag: 'no-cross-namespace-refs', file, span: at('/spec/cluster/multitenant'), via: `${name} spec.cluster.multitenant: true`, scope: scopeOf(file) });
      // The operator's default: the `default` service account of the tenant's namespace.
      const sa = str(cluster.tenantDefaultServiceAccount);
      const saAt = sa ? '/spec/cluster/tenantDefaultServiceAccount' : '/spec/cluster/multitenant';
      out.push({ flag: 'default-service-account', value: sa ?? 'default', file, span: at(saAt), via: `${name} spec.cluster.${sa ? `tenantDefaultServiceAccount: ${sa}` : 'multitenant (tenantDefaultServiceAccount defaults to default)'}`, scope: scopeOf(file) });
    }
  }
  return out;
}

/** The lockdown a context runs under: the declarations whose cluster folder holds its root Kustomization. */
export function lockdownOf(ctx: Context, declarations: LockdownDeclaration[], components: ComponentsDeclaration[] = []): Lockdown {
  let root = ctx;
  while (root.parent) root = root.parent;
  const rootFile = root.fact.owner.file;
  const folder = root.skeleton.folder;
  const inCluster = (d: { scope: string; file: string }) => isInside(d.scope, rootFile) || (folder !== undefined && isInside(folder, d.file));
  const applies = declarations.filter(inCluster);
  const installed = components.find(inCluster);
  return { declarations: applies, any: applies[0], ...(installed ? { components: installed } : {}) };
}

/** The declaration of a flag that is set on a controller (kustomize matches a target name as an anchored regexp). */
export function flagOn(lockdown: Lockdown, flag: LockdownDeclaration['flag'], controller: Controller): LockdownDeclaration | undefined {
  return lockdown.declarations.find((d) => {
    if (d.flag !== flag) return false;
    if (d.controllers === undefined) return true;
    try {
      return new RegExp(`^(?:${d.controllers})$`).test(controller);
    } catch {
      return d.controllers === controller;
    }
  });
}
