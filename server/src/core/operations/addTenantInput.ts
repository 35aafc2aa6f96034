// Add tenant where the fleet makes its tenants with a Flux Operator ResourceSet: the platform's objects come from one
// template, so a new tenant is one more input set, written like the followed tenant's — an item of the ResourceSet's
// `spec.inputs`, or a copy of its Static ResourceSetInputProvider (`defaultValues`) with the names changed. The
// engine's expansion says which input set made the followed tenant's Kustomization and where each of its values
// was written; inputs the operator would query from a service (pull requests, tags) cannot be added from here.
import { isMap, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Fleet } from '../model';
import type { Context } from '../evaluate/contexts';
import { isResourceSetKind, linkedExpansion } from '../evaluate/resourceSets';
import type { InputSet } from '../resourceSet';
import type { Resource } from '../kustomize/types';
import { nameOf, namespaceOf } from '../tenants/objects';
import { EditText } from '../yamlEdit/source';
import { appendToList } from '../yamlEdit/insert';
import { itemText } from './entries';
import { renameInYaml, type Renames } from './layout';
import type { OperationPlan, PlanEdit } from './plan';
import { dirname, relative } from '../paths';

/** The input set that made a generated tenant Kustomization, with its ResourceSet's file. */
interface TenantInput {
  set: InputSet;
  rsetFile: string;
  rsetName: string;
}

/** The input set behind a context's Kustomization, when a ResourceSet of its parent's build generated it. */
function inputOf(fleet: Fleet, ctx: Context): TenantInput | undefined {
  const by = ctx.fact.generatedBy;
  if (!by || by.inputSet === undefined || !ctx.parent) return undefined;
  const build = ctx.parent.build.resources;
  const named = (r: Resource) => nameOf(r) === by.resourceSet.name && (namespaceOf(r) ?? by.resourceSet.namespace) === by.resourceSet.namespace;
  const rset = build.find((r) => r.obj.kind === 'ResourceSet' && isResourceSetKind(r) && named(r));
  if (!rset) return undefined;
  // The linker's expansion: the one the fact's input set indexes, read with the spans of the values.
  const set = linkedExpansion(fleet, rset)?.inputSets[by.inputSet];
  return set && { set, rsetFile: rset.origin.file, rsetName: `${by.resourceSet.namespace}/${by.resourceSet.name}` };
}

/** Whether the followed tenant's Kustomizations are made by ResourceSets (then addTenantInputs writes the tenant). */
export function madeByResourceSet(ctx: Context): boolean {
  return ctx.fact.generatedBy !== undefined;
}

/** The block sequence (a pair's value, at any depth) whose item holds `offset`, and that item. */
function seqItemAt(doc: Document.Parsed, offset: number): { pair: Pair; seq: YAMLSeq; item: Node } | undefined {
  let found: { pair: Pair; seq: YAMLSeq; item: Node } | undefined;
  const visit = (node: Node | null | undefined) => {
    if (!isMap(node)) return;
    for (const pair of (node as YAMLMap).items as Pair[]) {
      const v = pair.value as Node | null;
      if (isSeq(v)) {
        for (const item of (v as YAMLSeq).items as Node[]) {
          if (!item?.range || item.range[0] > offset || offset > item.range[1]) continue;
          found = { pair, seq: v as YAMLSeq, item };
          visit(item); // a deeper list holding it wins
        }
      } else visit(v);
    }
  };
  visit(doc.contents as Node | null);
  return found;
}

/**
 * The platform's part of a new tenant made by ResourceSets: per distinct place its followed input sets were written,
 * the new input. `renames` change the tenant's name (and namespace), `exact` its repository URL.
 */
export function addTenantInputs(fleet: Fleet, contexts: Context[], renames: Renames, exact: Renames, plan: OperationPlan): { refused: string } | undefined {
  const done = new Set<string>();
  for (const ctx of contexts) {
    const input = inputOf(fleet, ctx);
    if (!input) return { refused: `${ctx.id.root}: the followed tenant's Kustomization comes from a ResourceSet input set the engine cannot place` };
    const origins = Object.values(input.set.origins);
    if (!origins.length) return { refused: `ResourceSet ${input.rsetName}: the followed tenant's input set holds no value written in Git` };
    const sample = origins.find((o) => o.from === 'sample');
    if (sample) return { refused: `ResourceSet ${input.rsetName} takes its tenants from a provider the Flux Operator queries (the inputs are samples in ${relative(dirname(input.rsetFile), sample.file)}): add the tenant where that service lists it` };
    const files = new Set(origins.map((o) => o.file));
    if (files.size !== 1) return { refused: `ResourceSet ${input.rsetName}: the followed tenant's inputs are written in ${files.size} files: there is no one place to add a tenant like it` };
    const [file] = files;
    const text = fleet.facts.get(file)?.text;
    if (text === undefined) return { refused: `${file} cannot be read` };
    const src = new EditText(text);
    const at = src.fromFile(origins[0].span.start);
    const doc = src.docs().find((d) => d.range[0] <= at && at <= d.range[2]);
    if (!doc) return { refused: `${file}: no document holds the followed tenant's inputs` };
    if (origins[0].from === 'inputs') {
      // An item of the ResourceSet's spec.inputs: the same item, names changed, appended to the list.
      const found = seqItemAt(doc, at);
      if (!found || origins.some((o) => { const o2 = src.fromFile(o.span.start); return o2 < found.item.range![0] || o2 > found.item.range![1]; })) return { refused: `${file}: the followed tenant's inputs are not one item of a list` };
      const key = `${file}:${found.item.range![0]}`;
      if (done.has(key)) continue;
      done.add(key);
      const entry = itemText(src.text, found.seq, found.item);
      const renamed = renameInYaml(entry.text, renames, exact);
      if (renamed === entry.text) return { refused: `${file}: the followed tenant's input carries neither its name nor its repository` };
      const edit = appendToList(src.text, found.pair, { text: renamed, col: entry.col });
      if (!edit) return { refused: `${file}: cannot append to the list of inputs` };
      for (const e of src.fileEdits([edit])) plan.edits.push({ file, span: e.span, newText: e.newText } satisfies PlanEdit);
    } else {
      // A Static provider's defaultValues: the provider document copied after itself, names changed.
      const key = `${file}:${doc.range[0]}`;
      if (done.has(key)) continue;
      done.add(key);
      const start = doc.range[0];
      const end = doc.range[1];
      const body = src.text.slice(start, end).replace(/\n*$/, '\n');
      const renamed = renameInYaml(body, renames, exact);
      if (renamed === body) return { refused: `${file}: the followed tenant's provider carries neither its name nor its repository` };
      const sep = src.text.slice(0, end).endsWith('\n') ? '' : '\n';
      const edit = { span: { start: end, end }, newText: `${sep}---\n${renamed}` };
      for (const e of src.fileEdits([edit])) plan.edits.push({ file, span: e.span, newText: e.newText });
    }
  }
  return undefined;
}
