// flux-fleet kustomize | build | values: the build and values layers as text (same core as hovers); the CLI gives
// the streams to write to and the folder paths are relative to.
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Fleet } from '../core/model';
import type { Json, Provenance, Resource } from '../core/kustomize/types';
import { buildKustomization } from '../core/kustomize/build';
import { printResources } from '../core/kustomize/output';
import { buildOptions } from '../core/evaluate/fluxBuild';
import { allContexts, type Context } from '../core/evaluate/contexts';
import { contextLabel, contextMatches, deployerName } from '../core/evaluate/contextId';
import { helmReleaseValues } from '../core/evaluate/helmValues';
import { appValues } from '../core/evaluate/appValues';
import { resIdOf } from '../core/kustomize/resid';
import { rootKustomizations } from '../features/deployChains';
import { offsetToLineCol, computeLineStarts } from '../core/text';
import { escapeSegment, unescapeSegment } from '../core/kustomize/provenance';
import { redactResources, redactValues, shownWrite } from '../core/redact';
import { layerLabel, stepLayer } from '../core/layer';
import { appliedBuild, expansionIn, isResourceSetKind } from '../core/evaluate/resourceSets';
import { inputSetLabel } from '../core/link/resourceSets';
import type { ResourceSetExpansion } from '../core/resourceSet';

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Paths in the output are relative to this folder. */
  cwd: string;
}

function lineOf(io: CommandIO, fleet: Fleet, p: Provenance): string {
  const text = fleet.facts.get(p.file)?.text ?? fleet.readAuxFile(p.file) ?? '';
  const line = p.span ? offsetToLineCol(computeLineStarts(text), p.span.start).line + 1 : 1;
  return `${path.relative(io.cwd, p.file)}:${line}`;
}

export function kustomizeCommand(io: CommandIO, fleet: Fleet, dir: string, provenance: boolean, showSecrets = false): number {
  const result = buildKustomization(dir, buildOptions(fleet));
  for (const i of result.issues) io.err(`${path.relative(io.cwd, i.file)}: ${i.severity} ${i.code} ${i.message}\n`);
  if (result.issues.some((i) => i.severity === 'error')) return 1;
  const where = provenance
    ? (r: Resource, pointer: string) => {
        const w = r.prov.get(pointer)?.at(-1);
        return w ? `${lineOf(io, fleet, w)} (${layerLabel(w.layer)})` : undefined;
      }
    : undefined;
  // Secret values are masked (keys kept) unless --show-secrets: see core/redact.ts.
  io.out(printResources(showSecrets ? result.resources : redactResources(result.resources), where));
  return 0;
}

/** Contexts whose last Kustomization is `ns/name`, or all, narrowed by `--context` (any element of the chain). */
function contexts(fleet: Fleet, context: string | undefined): Context[] {
  const all = allContexts(fleet, rootKustomizations(fleet));
  return context ? all.filter((c) => contextMatches(c.id, context)) : all;
}

export function buildCommand(io: CommandIO, fleet: Fleet, target: string, context: string | undefined, showSecrets = false): number {
  const matches = contexts(fleet, context).filter((c) => deployerName(c.id) === target);
  if (!matches.length) {
    io.err(`flux-fleet: no Flux Kustomization ${target}${context ? ` in context ${context}` : ''}\n`);
    return 1;
  }
  for (const c of matches) {
    io.out(`# context: ${contextLabel(c.id)}\n`);
    for (const i of c.build.issues) io.out(`# ${i.code}: ${i.message}\n`);
    for (const u of c.build.undefinedVariables) io.out(`# undefined variable \${${u.name}} in ${resIdOf(u.resource.obj).kind} ${resIdOf(u.resource.obj).name}\n`);
    io.out(printResources(showSecrets ? c.build.resources : redactResources(c.build.resources)));
    for (const r of c.build.resources) if (r.obj.kind === 'ResourceSet' && isResourceSetKind(r)) printExpansion(io, expansionIn(fleet, r, c.build.resources), showSecrets);
  }
  return 0;
}

/** What a ResourceSet of the build generates, per input set (as this context applies it). */
function printExpansion(io: CommandIO, x: ResourceSetExpansion, showSecrets: boolean): void {
  const sets = new Map<number | undefined, Resource[]>();
  for (const o of x.objects) sets.set(o.inputSet, [...(sets.get(o.inputSet) ?? []), { obj: o.obj, prov: new Map(), origin: { file: x.file ?? '', layer: stepLayer('resource') } }]);
  io.out(`# ResourceSet ${x.namespace}/${x.name} generates${x.failed ? ' nothing: its build fails (see check)' : sets.size ? ':' : ' nothing'}${x.inputsKnown ? '' : ' (some inputs unknown offline: providerSamples)'}\n`);
  for (const [inputSet, resources] of sets) {
    io.out(`# ${inputSetLabel(x, inputSet)}\n`);
    io.out(printResources(showSecrets ? resources : redactResources(resources)));
  }
}

interface ValueRow {
  path: string;
  value: Json;
  source: { file: string; line: number; layer: string };
  overridden: Array<{ value: Json; source: { file: string; line: number; layer: string } }>;
}

function flatten(value: Json, pointer: string, out: Array<{ pointer: string; value: Json }>): void {
  if (value && typeof value === 'object' && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) flatten(v as Json, `${pointer}/${escapeSegment(k)}`, out);
  } else out.push({ pointer, value });
}

export function valuesCommand(io: CommandIO, fleet: Fleet, target: string, context: string | undefined, format: string): number {
  const [kind, ns, name] = target.split('/');
  if (!kind || !ns || !name) {
    io.err('flux-fleet: values takes KIND/NAMESPACE/NAME\n');
    return 2;
  }
  const results: Array<{ context: string; values: ValueRow[] }> = [];
  for (const c of contexts(fleet, context)) {
    const applied = appliedBuild(fleet, c.build.resources);
    const hr = applied.find((r) => r.obj.kind === kind && resIdOf(r.obj).name === name && (resIdOf(r.obj).namespace ?? 'default') === ns);
    if (!hr) continue;
    if (kind !== 'HelmRelease' && kind !== 'App') {
      io.err(`flux-fleet: values are computed for HelmRelease and App, not ${kind}\n`);
      return 2;
    }
    const v = kind === 'App' ? appValues(fleet, hr, applied) : helmReleaseValues(fleet, hr, applied);
    const leaves: Array<{ pointer: string; value: Json }> = [];
    flatten(redactValues(v.values, v.prov), '', leaves);
    const src = (p: Provenance) => {
      const [file, line] = lineOf(io, fleet, p).split(/:(?=\d+$)/);
      return { file, line: Number(line), layer: layerLabel(p.layer) };
    };
    results.push({
      context: contextLabel(c.id),
      values: leaves.map((l) => {
        const stack = v.prov.get(l.pointer) ?? [];
        const last = stack[stack.length - 1];
        return {
          path: l.pointer.slice(1).split('/').map(unescapeSegment).join('.'),
          value: l.value,
          source: last ? src(last) : { file: '', line: 0, layer: '' },
          overridden: stack.slice(0, -1).reverse().map((w) => ({ value: shownWrite(w), source: src(w) })),
        };
      }),
    });
  }
  if (!results.length) {
    io.err(`flux-fleet: ${target} is not in any context${context ? ` matching ${context}` : ''}\n`);
    return 1;
  }
  if (format === 'json') io.out(JSON.stringify(results, null, 2) + '\n');
  else {
    for (const r of results) {
      io.out(`# context: ${r.context}\n`);
      for (const row of r.values) {
        const { file, line, layer } = row.source; // the label, as in the JSON output
        io.out(`${row.path}: ${stringify(row.value).trim()}  # ${file}:${line} (${layer})\n`);
      }
    }
  }
  return 0;
}
