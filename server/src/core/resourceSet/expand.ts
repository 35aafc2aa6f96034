// expandResourceSet: a ResourceSet and the fleet's ResourceSetInputProviders → its input sets and the objects the
// Flux Operator generates for them (internal/builder BuildResourceSetFromSpec and the controller's reconcile), with
// where every input value and every object came from, and findings instead of the operator's failed build.
import type { Finding, FindingCode, Severity } from '../findings';
import { lex } from '../gotemplate/lexer';
import type { Json, JsonObject } from '../kustomize/types';
import type { Span } from '../text';
import { LEFT_DELIM, RIGHT_DELIM } from './functions';
import { combine, GROUP_VERSION, inlineInputs, providerInputs, selectorMatches, type InputSet, type ProviderInputs, type ProviderRef, type ProviderSamples } from './inputs';
import { itemActionMapper, makeUnit, renderUnit, resourceItemText, type TemplateUnit } from './render';
import { scalarOffsets, type SourcedObject } from './source';

export interface GeneratedObject {
  /** The object as the operator applies it (owner labels and commonMetadata set). */
  obj: JsonObject;
  /** The input set it was rendered with (index into `inputSets`); undefined when the ResourceSet has no inputs. */
  inputSet?: number;
  step?: string;
  /** The template that wrote it: a `resources` item (its span) or `resourcesTemplate` (the lines that wrote it). */
  template: { field: 'resources' | 'resourcesTemplate'; index?: number; step?: string; file?: string; span?: Span };
}

export interface ProviderUse extends ProviderRef {
  type?: string;
  /** False when its inputs need a service the tool does not query and no samples were given. */
  known: boolean;
  file?: string;
  span?: Span;
}

export interface InputReference {
  /** `inputs.app.version` → ['app', 'version']. */
  path: string[];
  file: string;
  span: Span;
  field: 'resources' | 'resourcesTemplate';
  index?: number;
  step?: string;
}

export interface ResourceSetExpansion {
  name: string;
  namespace: string;
  file?: string;
  strategy: string;
  inputSets: InputSet[];
  /** False when some provider's inputs are unknown offline: the input sets and objects are then a lower bound. */
  inputsKnown: boolean;
  providers: ProviderUse[];
  objects: GeneratedObject[];
  /** Under `spec.steps`: each step's objects (indexes into `objects`), in order. */
  steps?: Array<{ name: string; objects: number[] }>;
  dependsOn: Array<{ apiVersion: string; kind: string; name: string; namespace?: string; ready?: boolean; readyExpr?: string; span?: Span }>;
  /** Every `inputs.x.y` the templates read, where. */
  references: InputReference[];
  /** The operator's build would fail (an error finding): it would apply nothing. */
  failed: boolean;
  findings: Finding[];
}

const isObject = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
const OWNER_GROUP = 'resourceset.fluxcd.controlplane.io';
const RECONCILE_ANNOTATION = 'fluxcd.controlplane.io/reconcile';

export interface ExpandOptions {
  /** Sample inputs for providers that query a service (GitHub, GitLab, OCI, external), from `.flux-fleet.yaml`. */
  samples?: ProviderSamples[];
}

export function expandResourceSet(rset: SourcedObject, providers: SourcedObject[], options: ExpandOptions = {}): ResourceSetExpansion {
  const file = rset.source?.file ?? '';
  const meta = isObject(rset.obj.metadata) ? rset.obj.metadata : {};
  const spec = isObject(rset.obj.spec) ? rset.obj.spec : {};
  const name = str(meta.name);
  const namespace = str(meta.namespace);
  const findings: Finding[] = [];
  const spanAt = (pointer: string, key = false): Span => {
    const s = rset.spans?.get(pointer);
    return (key ? s?.key : undefined) ?? s?.value ?? { start: 0, end: 0 };
  };
  const add = (code: FindingCode, severity: Severity, span: Span, message: string, f = file, related?: Finding['related']) => findings.push({ file: f, span, severity, code, message, ...(related && { related }) });
  const out: ResourceSetExpansion = {
    name,
    namespace,
    file: rset.source?.file,
    strategy: 'Flatten',
    inputSets: [],
    inputsKnown: true,
    providers: [],
    objects: [],
    dependsOn: [],
    references: [],
    failed: false,
    findings,
  };
  const fail = (code: FindingCode, span: Span, message: string, f = file, related?: Finding['related']) => {
    out.failed = true;
    add(code, 'error', span, message, f, related);
  };

  // dependsOn: data for the fleet model.
  if (Array.isArray(spec.dependsOn))
    spec.dependsOn.forEach((d, i) => {
      if (!isObject(d)) return;
      out.dependsOn.push({
        apiVersion: str(d.apiVersion),
        kind: str(d.kind),
        name: str(d.name),
        ...(typeof d.namespace === 'string' && { namespace: d.namespace }),
        ...(typeof d.ready === 'boolean' && { ready: d.ready }),
        ...(typeof d.readyExpr === 'string' && { readyExpr: d.readyExpr }),
        span: spanAt(`/spec/dependsOn/${i}`),
      });
    });

  // ---- templates (parsed once: parse errors and unknown functions do not depend on inputs)
  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  const hasTopResources = (Array.isArray(spec.resources) && spec.resources.length > 0) || str(spec.resourcesTemplate) !== '';
  if (steps.length > 0 && hasTopResources) fail('resourceset-invalid', spanAt('/spec/steps', true), 'spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate');
  const groups: Array<{ step?: string; units: TemplateUnit[] }> = [];
  const unitsOf = (base: string, holder: JsonObject, step?: string): TemplateUnit[] => {
    const units: TemplateUnit[] = [];
    if (Array.isArray(holder.resources))
      holder.resources.forEach((item, index) => {
        const text = resourceItemText(item);
        const s = rset.spans?.get(`${base}/resources/${index}`);
        const toFile = s && rset.source ? itemActionMapper(text, rset.source.text.slice(s.value.start, s.value.end), s.value.start) : undefined;
        units.push(makeUnit('resources', text, { index, step, file, span: s?.value, toFile }));
      });
    if (typeof holder.resourcesTemplate === 'string' && holder.resourcesTemplate !== '') {
      const s = rset.spans?.get(`${base}/resourcesTemplate`);
      const toFile = s && rset.source ? scalarOffsets(rset.source.text, s.node) : undefined;
      units.push(makeUnit('resourcesTemplate', holder.resourcesTemplate, { step, file, span: s?.value, toFile }));
    }
    return units;
  };
  if (steps.length > 0) {
    steps.forEach((st, i) => {
      if (!isObject(st)) return;
      const stepName = str(st.name);
      const units = unitsOf(`/spec/steps/${i}`, st, stepName);
      if (units.length === 0) fail('resourceset-invalid', spanAt(`/spec/steps/${i}`), `step "${stepName}": at least one of resources or resourcesTemplate must be set`);
      groups.push({ step: stepName, units });
    });
  } else groups.push({ units: unitsOf('/spec', spec) });
  const units = groups.flatMap((g) => g.units);
  const fileSpan = (u: TemplateUnit, s: Span): Span => (u.toFile ? { start: u.toFile(s.start), end: Math.max(u.toFile(s.start), u.toFile(Math.max(s.start, s.end - 1)) + 1) } : (u.span ?? { start: 0, end: 0 }));
  for (const u of units) {
    collectReferences(u, rset, out.references);
    if ('error' in u.parsed) {
      const e = u.parsed.error;
      if (e.unknownFunction) fail('unknown-template-function', fileSpan(u, e.span), `${e.message}: the Flux Operator's templates have Go's built-in functions, slim-sprig's, slugify, toYaml and inputs`);
      else fail('template-error', fileSpan(u, e.span), e.message);
    }
  }

  // ---- inputs
  const strategy = isObject(spec.inputStrategy) && typeof spec.inputStrategy.name === 'string' ? spec.inputStrategy.name : 'Flatten';
  out.strategy = strategy;
  const rsetRef: ProviderRef = { apiVersion: GROUP_VERSION, kind: 'ResourceSet', name, namespace };
  const inline = inlineInputs(rset, rsetRef);
  for (const i of inline.invalid) fail('resourceset-invalid', spanAt(`/spec/inputs/${i}`), `failed to unmarshal inputs[${i}]: an input set must be a map`);
  const inputsFrom = Array.isArray(spec.inputsFrom) ? spec.inputsFrom : [];
  const candidates = providers
    .filter((p) => str(p.obj.kind) === 'ResourceSetInputProvider')
    .map((p) => {
      const m = isObject(p.obj.metadata) ? p.obj.metadata : {};
      const labels: Record<string, string> = {};
      if (isObject(m.labels)) for (const [k, v] of Object.entries(m.labels)) labels[k] = typeof v === 'string' ? v : String(v);
      return { p, name: str(m.name), namespace: str(m.namespace) || namespace, labels };
    })
    .filter((c) => c.namespace === namespace);
  const selected = new Map<string, { c: (typeof candidates)[number]; refSpan: Span }>();
  inputsFrom.forEach((ref, i) => {
    const refSpan = spanAt(`/spec/inputsFrom/${i}`);
    if (!isObject(ref)) return;
    if (typeof ref.name === 'string' && ref.name !== '') {
      const c = candidates.find((x) => x.name === ref.name);
      if (!c) fail('object-not-found', spanAt(`/spec/inputsFrom/${i}/name`), `ResourceSetInputProvider ${namespace}/${ref.name} not found: the operator fails to get provider ${namespace}/${ref.name}`);
      else if (!selected.has(c.name)) selected.set(c.name, { c, refSpan });
    } else if (isObject(ref.selector)) {
      for (const c of candidates) if (!selected.has(c.name) && selectorMatches(ref.selector, c.labels)) selected.set(c.name, { c, refSpan });
    } else fail('resourceset-invalid', refSpan, 'input provider reference must have either name or selector set');
  });
  // The operator's order: the ResourceSet, then providers sorted by GVK, namespace, name.
  const chosen = [...selected.values()].sort((a, b) => (a.c.name < b.c.name ? -1 : a.c.name > b.c.name ? 1 : 0));
  const providerInputsList: ProviderInputs[] = [inline.provider];
  for (const { c, refSpan } of chosen) {
    const pi = providerInputs(c.p, namespace, options.samples);
    providerInputsList.push(pi);
    const known = pi.sets !== undefined;
    out.providers.push({ ...pi.ref, type: pi.providerType, known, file: c.p.source?.file, span: c.p.spans?.get('')?.value });
    if (!known) {
      out.inputsKnown = false;
      add(
        'provider-inputs-unknown',
        'information',
        refSpan,
        `ResourceSetInputProvider ${namespace}/${c.name} (${pi.providerType || 'no type'}) exports inputs from a service that is not queried offline: ` +
          `declare sample inputs for it in .flux-fleet.yaml to expand this ResourceSet with them; its templates are checked without them`,
      );
    }
  }
  const combined = combine(strategy, providerInputsList);
  if ('error' in combined) {
    fail('resourceset-invalid', spanAt('/spec/inputStrategy') ?? spanAt('/spec'), `failed to compute inputs: ${combined.error}`);
    return out;
  }
  out.inputSets = combined.sets;

  // ---- build (BuildResourceSet per step), like the controller: providers that exported nothing build nothing.
  if (inputsFrom.length > 0 && out.inputSets.length === 0) return out;
  const noInputs = out.inputSets.length === 0;
  const failedUnits = new Set<TemplateUnit>();
  const reported = new Set<string>();
  const stepOf = new Map<string, string>();
  const describe = (i: number) => {
    const s = out.inputSets[i];
    return `input set ${s.id || i} (${s.providers.map((p) => `${p.kind} ${p.namespace}/${p.name}`).join(' × ')})`;
  };
  for (const g of groups) {
    const objects: GeneratedObject[] = [];
    const keys = new Map<string, GeneratedObject>();
    const addObject = (o: GeneratedObject, dedup: boolean) => {
      const key = objectKey(o.obj);
      const kept = keys.get(key);
      if (kept && dedup) {
        if (JSON.stringify(kept.obj) !== JSON.stringify(o.obj) && o.template.span)
          add('duplicate-generated-object', 'warning', o.template.span, `${idOf(o.obj)} is generated again with different content${o.inputSet !== undefined ? ` for ${describe(o.inputSet)}` : ''}: the operator keeps the first one and drops this one`, file, kept.template.span ? [{ file, span: kept.template.span, message: 'the object the operator keeps' }] : undefined);
        return;
      }
      keys.set(key, o);
      objects.push(o);
    };
    const render = (u: TemplateUnit, inputSet: number | undefined): GeneratedObject[] => {
      if (failedUnits.has(u) || 'error' in u.parsed) return [];
      const r = renderUnit(u, inputSet === undefined ? null : out.inputSets[inputSet].values);
      if ('error' in r) {
        const e = r.error;
        const span = fileSpan(u, e.span);
        const key = `${span.start}:${span.end}:${e.reason}`;
        if (!reported.has(key)) {
          reported.add(key);
          const where = inputSet === undefined ? '' : ` (${describe(inputSet)})`;
          if (e.missingKey && e.missingKey.path[0] === 'inputs') {
            // The operator adds `id` to the input sets of providers, not to the ResourceSet's own inputs.
            const own = inputSet !== undefined && e.missingKey.path.length === 2 && e.missingKey.key === 'id' && out.inputSets[inputSet].providers[0]?.kind === 'ResourceSet';
            fail('undefined-input', span, `${e.missingKey.path.join('.')} is not defined${where}${own ? ' (the ResourceSet\'s own inputs have an id only where they set one)' : ''}: ${e.message}`);
          }
          else fail('template-error', span, `${e.message}${where}`);
        }
        return [];
      }
      return r.objects.map((o) => ({
        obj: o.obj,
        inputSet,
        ...(u.step !== undefined && { step: u.step }),
        template: {
          field: u.field,
          ...(u.index !== undefined && { index: u.index }),
          ...(u.step !== undefined && { step: u.step }),
          file: u.file,
          span: u.field === 'resources' ? u.span : u.toFile ? fileSpan(u, o.templateSpan) : u.span,
        },
      }));
    };
    const disabled = (o: GeneratedObject) => {
      const a = isObject(o.obj.metadata) && isObject(o.obj.metadata.annotations) ? o.obj.metadata.annotations[RECONCILE_ANNOTATION] : undefined;
      return a === 'disabled';
    };
    for (const u of g.units.filter((x) => x.field === 'resources')) {
      if (noInputs) for (const o of render(u, undefined)) addObject(o, false);
      else out.inputSets.forEach((_, i) => render(u, i).forEach((o) => !disabled(o) && addObject(o, true)));
    }
    for (const u of g.units.filter((x) => x.field === 'resourcesTemplate')) {
      const made = noInputs ? render(u, undefined) : out.inputSets.flatMap((_, i) => render(u, i));
      for (const o of made) if (!disabled(o)) addObject(o, true);
    }
    if (g.step !== undefined) {
      out.steps ??= [];
      const indexes: number[] = [];
      for (const o of objects) {
        const key = objectKey(o.obj);
        const prev = stepOf.get(key);
        if (prev !== undefined && prev !== g.step) {
          fail('duplicate-generated-object', o.template.span ?? { start: 0, end: 0 }, `duplicate resource ${idOf(o.obj)} in step "${g.step}", already defined in step "${prev}"`);
          continue;
        }
        stepOf.set(key, g.step);
        indexes.push(out.objects.length);
        out.objects.push(o);
      }
      out.steps.push({ name: g.step, objects: indexes });
    } else out.objects.push(...objects);
  }

  // ---- what the controller sets on every object: the owner labels, then commonMetadata.
  const common = isObject(spec.commonMetadata) ? spec.commonMetadata : {};
  for (const o of out.objects) {
    setCommon(o.obj, 'labels', { [`${OWNER_GROUP}/name`]: name, [`${OWNER_GROUP}/namespace`]: namespace });
    if (isObject(common.labels)) setCommon(o.obj, 'labels', stringMap(common.labels));
    if (isObject(common.annotations)) setCommon(o.obj, 'annotations', stringMap(common.annotations));
  }
  return out;
}

function stringMap(m: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

/** ssautil.SetCommonMetadata: merged over the object's own (which are dropped whole if any is not a string). */
function setCommon(obj: JsonObject, field: 'labels' | 'annotations', values: Record<string, string>): void {
  if (Object.keys(values).length === 0) return;
  if (!isObject(obj.metadata)) obj.metadata = {};
  const meta = obj.metadata as JsonObject;
  const own = isObject(meta[field]) && Object.values(meta[field] as JsonObject).every((v) => typeof v === 'string') ? (meta[field] as JsonObject) : {};
  meta[field] = { ...own, ...values };
}

/** The operator's dedup key: group, kind, namespace, name (not the version). */
export function objectKey(o: JsonObject): string {
  const api = str(o.apiVersion);
  const group = api.includes('/') ? api.slice(0, api.indexOf('/')) : '';
  const m = isObject(o.metadata) ? o.metadata : {};
  return [group, str(o.kind), str(m.namespace), str(m.name)].join('/');
}

function idOf(o: JsonObject): string {
  const m = isObject(o.metadata) ? o.metadata : {};
  return `${str(o.kind)}/${str(m.namespace) ? str(m.namespace) + '/' : ''}${str(m.name)}`;
}

/** Every `inputs.a.b` a template reads (by its tokens, so a template that does not parse still has its references). */
function collectReferences(u: TemplateUnit, rset: SourcedObject, out: InputReference[]): void {
  if (!rset.source || !u.file) return;
  const push = (text: string, toFile: (o: number) => number) => {
    const tokens = lex(text, LEFT_DELIM, RIGHT_DELIM);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.type !== 'identifier' || t.val !== 'inputs') continue;
      const path: string[] = [];
      let end = t.end;
      for (let j = i + 1; j < tokens.length && tokens[j].type === 'field' && tokens[j].pos === end; j++) {
        path.push(tokens[j].val.slice(1));
        end = tokens[j].end;
      }
      out.push({ path, file: u.file!, span: { start: toFile(t.pos), end: toFile(end - 1) + 1 }, field: u.field, ...(u.index !== undefined && { index: u.index }), ...(u.step !== undefined && { step: u.step }) });
    }
  };
  if (u.field === 'resourcesTemplate' && u.toFile) return push(u.text, u.toFile);
  if (u.field === 'resources' && u.span && rset.spans) {
    // Each string scalar of the item, on its own text.
    for (const s of rset.spans.values()) {
      if (s.value.start < u.span.start || s.value.end > u.span.end) continue;
      const n = s.node as { value?: unknown; type?: string };
      if (typeof n.value !== 'string' || !n.value.includes(LEFT_DELIM)) continue;
      if (!('type' in n)) continue;
      push(n.value, scalarOffsets(rset.source.text, s.node));
    }
  }
}
