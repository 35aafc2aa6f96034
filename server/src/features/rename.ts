// Rename an object the fleet references by name (a Flux source, Kustomization or HelmRelease, a ConfigMap or Secret
// read by valuesFrom or substituteFrom, …): its metadata.name and every reference the linker resolved to it, across
// repositories, in one edit. What cannot be renamed safely is refused with the reason, never half done: a name built
// from a variable, a reference that also names other objects, a kustomize patch that selects the object by name.
import type { Fleet } from '../core/model';
import type { ObjectFact } from '../core/facts';
import type { Span } from '../core/text';
import { computeLineStarts, offsetToLineCol } from '../core/text';
import { docKey } from '../core/link/linker';
import { refObjects } from '../core/link/types';
import { basename } from '../core/paths';
import { objectNameAt, referenceAt } from './referenceAt';
import { parseYamlAll } from '../core/yamlParse';

export interface RenameEdit {
  file: string;
  span: Span;
  newText: string;
}

export type PrepareRenameAnswer = { span: Span; placeholder: string } | { refused: string };
export type RenameAnswer = { edits: RenameEdit[] } | { refused: string };

/** A Kubernetes object name: a DNS-1123 subdomain. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface Target {
  object: ObjectFact;
  /** The span under the cursor (the name or a reference's value). */
  at: Span;
}

/** The object a rename at `offset` is about: its name under the cursor, or a reference to it. */
function targetAt(fleet: Fleet, file: string, offset: number): Target | { refused: string } | undefined {
  const declared = objectNameAt(fleet, file, offset);
  if (declared) return { object: declared, at: declared.nameSpan };
  const ref = referenceAt(fleet, file, offset);
  if (!ref || ref.kind !== 'object') return undefined;
  const objects = refObjects(ref);
  if (objects.length === 0) return { refused: 'This reference resolves to no object of the fleet: there is nothing to rename.' };
  if (objects.length > 1) return { refused: `This reference resolves to ${objects.length} objects (${objects.map((o) => where(fleet, o.owner.file, o.nameSpan)).join(', ')}): rename one of them at its name.` };
  return { object: objects[0], at: ref.span };
}

export function prepareRename(fleet: Fleet, file: string, offset: number): PrepareRenameAnswer | undefined {
  const target = targetAt(fleet, file, offset);
  if (!target || 'refused' in target) return target;
  const why = unsafe(fleet, target.object);
  if (why) return { refused: why };
  return { span: valueSpan(fleet, file, target.at), placeholder: target.object.name };
}

export function rename(fleet: Fleet, file: string, offset: number, newName: string): RenameAnswer | undefined {
  const target = targetAt(fleet, file, offset);
  if (!target || 'refused' in target) return target;
  const obj = target.object;
  const why = unsafe(fleet, obj);
  if (why) return { refused: why };
  if (!OBJECT_NAME.test(newName) || newName.length > 253) return { refused: `'${newName}' is not a valid Kubernetes object name (lowercase letters, digits, '-' and '.', at most 253 characters).` };
  if (newName === obj.name) return { edits: [] };
  const clash = fleet.links.objects.find([obj.kind], newName, obj.namespace).filter((o) => o.fact !== obj && !o.fact.name.includes('${'));
  if (clash.length) return { refused: `A ${obj.kind} named '${newName}' already exists (${where(fleet, clash[0].fact.owner.file, clash[0].fact.nameSpan)}).` };

  const places: Array<{ file: string; span: Span }> = [{ file: obj.owner.file, span: obj.nameSpan }];
  for (const r of fleet.links.referrers.get(docKey(obj.owner)) ?? []) {
    const objects = refObjects(r);
    if (!objects.includes(obj)) continue;
    if (objects.length > 1) return { refused: `${where(fleet, r.file, r.span)} refers to this name and to ${objects.length - 1} other object(s): renaming it there would change what it refers to.` };
    places.push({ file: r.file, span: r.span });
  }
  // Flux sourceRefs resolve with their Kustomization (as in references.ts).
  for (const res of [...fleet.links.flux.values()].flat()) {
    if (res.source !== obj) continue;
    const ref = res.override?.sourceRef ? { file: res.override.sourceRef.file, span: res.override.sourceRef.ref.span } : res.fact.sourceRef ? { file: res.fact.owner.file, span: res.fact.sourceRef.span } : undefined;
    if (ref) places.push(ref);
  }
  const edits: RenameEdit[] = [];
  const seen = new Set<string>();
  for (const p of places) {
    const span = valueSpan(fleet, p.file, p.span);
    const key = `${p.file}:${span.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = textOf(fleet, p.file).slice(span.start, span.end);
    if (text.includes('${')) return { refused: `${where(fleet, p.file, span)} names it with a variable ('${text}'): its value is decided per context, so it cannot be renamed here.` };
    if (text !== obj.name) return { refused: `${where(fleet, p.file, span)} names it as '${text}', not '${obj.name}': rename it there by hand.` };
    edits.push({ file: p.file, span, newText: newName });
  }
  edits.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start);
  return { edits };
}

/** Why renaming `obj` is not safe, or undefined. */
function unsafe(fleet: Fleet, obj: ObjectFact): string | undefined {
  if (obj.madeBy) return `${obj.kind} ${obj.name} is not written in Git (${obj.madeBy} makes it): rename what makes it.`;
  if (obj.generatedBy) return `${obj.kind} ${obj.name} is generated by a ResourceSet: rename it in the ResourceSet's template.`;
  if (obj.name.includes('${')) return `The name '${obj.name}' is built from a variable: its value is decided per context, so it cannot be renamed here.`;
  // A kustomize patch selecting the object by name would silently stop applying.
  for (const facts of fleet.facts.values()) {
    for (const patch of facts.kustomize?.patches ?? []) {
      const t = patch.target;
      if (t?.name !== undefined && (t.kind === undefined || t.kind === obj.kind) && matchesName(t.name, obj.name)) {
        return `A kustomize patch in ${where(fleet, facts.file)} selects ${obj.kind} objects named '${t.name}': it would stop applying. Rename the patch's target with it, by hand.`;
      }
      if (patch.file) {
        const same = fleet.facts.get(patch.file)?.objects.find((o) => o.kind === obj.kind && o.name === obj.name);
        if (same) return `The patch ${where(fleet, patch.file, same.nameSpan)} (listed in ${basename(facts.file)}) patches ${obj.kind} ${obj.name} by name: rename it with the object, by hand.`;
      }
    }
  }
  return patchNaming(fleet, obj);
}

/**
 * A patch written inline (a kustomization's `patches[].patch`, a Flux Kustomization's `spec.patches`) or a Flux
 * `spec.patches` target that names the object: it would stop applying after the rename.
 */
function patchNaming(fleet: Fleet, obj: ObjectFact): string | undefined {
  for (const facts of fleet.facts.values()) {
    if (!facts.kustomize?.patches.length && !facts.fluxKustomizations.length) continue;
    if (!facts.text.includes(obj.name)) continue;
    const docs = fleet.parse(facts.file, facts.text).docs;
    for (const doc of docs) {
      const root = doc.toJS({ maxAliasCount: 100 }) as unknown;
      const patches = isMap(root) ? (root.kind === 'Kustomization' && isMap(root.spec) ? root.spec.patches : [...asList(root.patches), ...asList(root.patchesStrategicMerge)]) : undefined;
      for (const entry of asList(patches)) {
        const target = isMap(entry) && isMap(entry.target) ? entry.target : undefined;
        if (target && typeof target.name === 'string' && (target.kind === undefined || target.kind === obj.kind) && matchesName(target.name, obj.name)) {
          return `A patch in ${where(fleet, facts.file)} selects ${obj.kind} objects named '${target.name}': it would stop applying. Rename the patch's target with it, by hand.`;
        }
        const body = typeof entry === 'string' ? entry : isMap(entry) && typeof entry.patch === 'string' ? entry.patch : undefined;
        if (body !== undefined && patchBodyNames(body, obj)) return `An inline patch in ${where(fleet, facts.file)} patches ${obj.kind} ${obj.name} by name: rename it with the object, by hand.`;
      }
    }
  }
  return undefined;
}

/** Whether a strategic-merge patch's text (one or more documents) names the object by kind and metadata.name. */
function patchBodyNames(body: string, obj: ObjectFact): boolean {
  if (!body.includes(obj.name)) return false;
  try {
    return parseYamlAll(body).some((d) => {
      const x = d.toJS({ maxAliasCount: 100 }) as unknown;
      return isMap(x) && x.kind === obj.kind && isMap(x.metadata) && x.metadata.name === obj.name;
    });
  } catch {
    return true; // unreadable: say it may name it rather than rename past it
  }
}

function isMap(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

function asList(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

/** kustomize matches a target name as an anchored regular expression. */
function matchesName(pattern: string, name: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(name);
  } catch {
    return pattern === name;
  }
}

function textOf(fleet: Fleet, file: string): string {
  return fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? '';
}

/** The span without the quotes of a quoted scalar (the edit keeps the user's quoting). */
function valueSpan(fleet: Fleet, file: string, span: Span): Span {
  const text = textOf(fleet, file);
  const first = text[span.start];
  if ((first === '"' || first === "'") && span.end - span.start >= 2 && text[span.end - 1] === first) return { start: span.start + 1, end: span.end - 1 };
  return span;
}

/** `file.yaml:12` for messages. */
function where(fleet: Fleet, file: string, span?: Span): string {
  if (!span) return basename(file);
  const line = offsetToLineCol(fleet.facts.get(file)?.lineStarts ?? computeLineStarts(textOf(fleet, file)), span.start).line + 1;
  return `${basename(file)}:${line}`;
}
