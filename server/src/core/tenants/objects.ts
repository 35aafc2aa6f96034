// Reading built objects: their namespace, labels, Flux fields, and the source line a field was written at.
import type { Json, JsonObject, Resource } from '../kustomize/types';
import { escapeSegment } from '../kustomize/provenance';
import type { Place } from './types';
import { apiGroupOf } from '../kube/apiVersion';

export const TENANT_LABEL = 'toolkit.fluxcd.io/tenant';

/** Service accounts of Flux's own controllers: what the platform's Kustomizations run as under lockdown. */
export const CONTROLLER_ACCOUNTS: ReadonlySet<string> = new Set(['kustomize-controller', 'helm-controller']);

export function obj(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

export function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function metaOf(r: Resource): JsonObject {
  return obj(r.obj.metadata) ?? {};
}

export function nameOf(r: Resource): string {
  return str(metaOf(r).name) ?? '';
}

export function namespaceOf(r: Resource): string | undefined {
  return str(metaOf(r).namespace);
}

export function labelOf(r: Resource, label: string): string | undefined {
  return str(obj(metaOf(r).labels)?.[label]);
}

export function specOf(r: Resource): JsonObject {
  return obj(r.obj.spec) ?? {};
}

export function groupOf(r: Resource): string {
  return apiGroupOf(String(r.obj.apiVersion ?? ''));
}

export function isFluxKustomization(r: Resource): boolean {
  return r.obj.kind === 'Kustomization' && groupOf(r) === 'kustomize.toolkit.fluxcd.io';
}

export function isHelmRelease(r: Resource): boolean {
  return r.obj.kind === 'HelmRelease' && groupOf(r) === 'helm.toolkit.fluxcd.io';
}

/** `Kind namespace/name`. */
export function describe(r: Resource): string {
  const ns = namespaceOf(r);
  return `${String(r.obj.kind)} ${ns ? ns + '/' : ''}${nameOf(r)}`;
}

/**
 * The source line of a field as built: the last write to it (a kustomization's `namespace:`, a patch, a Flux
 * targetNamespace), else the object's name, else the document.
 */
export function placeOf(r: Resource, ...pointers: string[]): Place {
  for (const p of [...pointers, '/metadata/name']) {
    const w = r.prov.get(p)?.at(-1);
    if (w?.span) return { file: w.file, span: w.span };
  }
  return { file: r.origin.file, span: r.origin.span ?? { start: 0, end: 0 } };
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + escapeSegment(String(s))).join('');
}
