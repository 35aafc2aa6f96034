// Facts of a kustomize `kustomization.yaml` (kind Kustomization or Component): every path it names.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { DocRef, KustomizeFact, ObjectFact, PathExpectation, PathRef, PathRole, RemoteRef } from '../facts';
import { extractPatches } from './patches';
import { EMPTY_KUSTOMIZATION, isSetValue, kustomizationRefusal } from '../kustomize/kustomizationShape';
import type { Json } from '../kustomize/types';
import { looksRemote, parseRemoteTarget } from '../sourceUrl';
import { getIn, mapGet, scalarText, seqItems, spanOf, stringAt } from '../yamlAccess';

export function extractKustomizeFile(source: string, root: Node, owner: DocRef, baseDir: string): KustomizeFact {
  const kind = scalarText(mapGet(root, 'kind')) === 'Component' ? 'Component' : 'Kustomization';
  const fact: KustomizeFact = {
    owner,
    kind,
    namespace: stringAt(root, ['namespace'])?.value,
    namePrefix: stringAt(root, ['namePrefix'])?.value,
    nameSuffix: stringAt(root, ['nameSuffix'])?.value,
    paths: [],
    remotes: [],
    generated: [],
    patches: [],
  };
  const refused = refusalOf(root);
  if (refused) fact.refused = refused;

  const at: PathSink = { fact, owner, baseDir };

  for (const n of seqItems(mapGet(root, 'resources'))) addPath(at, n, 'resources', 'file-or-dir', true);
  for (const n of seqItems(mapGet(root, 'bases'))) addPath(at, n, 'bases', 'dir', true);
  for (const n of seqItems(mapGet(root, 'components'))) addPath(at, n, 'components', 'component-dir', true);
  for (const n of seqItems(mapGet(root, 'crds'))) addPath(at, n, 'crds', 'file');
  for (const n of seqItems(mapGet(root, 'configurations'))) addPath(at, n, 'configurations', 'file');
  for (const n of seqItems(mapGet(root, 'generators'))) addPath(at, n, 'generators', 'file-or-dir', true);
  for (const n of seqItems(mapGet(root, 'transformers'))) addPath(at, n, 'transformers', 'file-or-dir', true);
  for (const n of seqItems(mapGet(root, 'patches'))) addPath(at, mapGet(n, 'path'), 'patches', 'file');
  for (const n of seqItems(mapGet(root, 'patchesJson6902'))) addPath(at, mapGet(n, 'path'), 'patchesJson6902', 'file');
  for (const n of seqItems(mapGet(root, 'replacements'))) addPath(at, mapGet(n, 'path'), 'replacements', 'file');
  for (const n of seqItems(mapGet(root, 'helmCharts'))) addPath(at, mapGet(n, 'valuesFile'), 'helmCharts.valuesFile', 'file');
  addPath(at, getIn(root, ['openapi', 'path']), 'openapi', 'file');
  for (const n of seqItems(mapGet(root, 'patchesStrategicMerge'))) {
    // An entry is either a file path or an inline patch (a YAML document as a string).
    const v = scalarText(n);
    if (v !== undefined && !v.includes('\n') && !/:\s/.test(v)) addPath(at, n, 'patchesStrategicMerge', 'file');
  }

  const generatorNamespace = fact.namespace;
  for (const [field, genKind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const gen of seqItems(mapGet(root, field))) {
      for (const f of seqItems(mapGet(gen, 'files'))) addPath(at, f, `${field}.files`, 'file', false, stripKeyEquals);
      for (const f of seqItems(mapGet(gen, 'envs'))) addPath(at, f, `${field}.envs`, 'file');
      addPath(at, mapGet(gen, 'env'), `${field}.envs`, 'file');
      const name = stringAt(gen, ['name']);
      if (name && (scalarText(mapGet(gen, 'behavior')) ?? 'create') === 'create') {
        fact.generated.push({
          owner,
          apiVersion: 'v1',
          kind: genKind,
          name: name.value,
          namespace: stringAt(gen, ['namespace'])?.value ?? generatorNamespace,
          nameSpan: name.span,
          span: spanOf(gen) ?? name.span,
          generated: true,
        } satisfies ObjectFact);
      }
    }
  }
  fact.patches = extractPatches(source, root, owner, baseDir, fact.paths);
  return fact;
}

/**
 * kustomizationRefusal of the document as JSON, read from its top-level pairs where they are plain (each key a string
 * scalar written once, each value a scalar of a primitive, a mapping or a sequence): nearly every kustomization. The
 * document's JSON (every value converted) is made only for the others: the index reads every kustomization.
 */
function refusalOf(root: Node): string | undefined {
  if (!isMap(root)) return kustomizationRefusal(root.toJSON() as Json);
  const keys = new Set<string>();
  let set = false;
  for (const { key, value } of root.items) {
    if (!isScalar(key) || typeof key.value !== 'string' || keys.has(key.value)) return kustomizationRefusal(root.toJSON() as Json);
    keys.add(key.value);
    if (key.value === 'apiVersion' || key.value === 'kind' || value === null) continue;
    if (isMap(value) || isSeq(value)) set = true;
    else if (!isScalar(value) || (value.value !== null && typeof value.value === 'object') || typeof value.value === 'bigint') return kustomizationRefusal(root.toJSON() as Json);
    else if (isSetValue(value.value)) set = true;
  }
  return set ? undefined : EMPTY_KUSTOMIZATION;
}

/** Where addPath puts the paths it reads (an object, not a closure per kustomization: every one indexed passes here). */
interface PathSink {
  fact: KustomizeFact;
  owner: DocRef;
  baseDir: string;
}

function addPath({ fact, owner, baseDir }: PathSink, node: Node | undefined, role: PathRole, expect: PathExpectation, allowRemote = false, strip?: (v: string) => { value: string; offset: number }): void {
  const raw = scalarText(node);
  const span = spanOf(node);
  if (raw === undefined || !span || raw.trim() === '') return;
  if (allowRemote && looksRemote(raw)) {
    const target = parseRemoteTarget(raw);
    if (target) fact.remotes.push({ type: 'remote', owner, role, value: raw, span: valueSpan(node!, span, 0, raw.length), target } satisfies RemoteRef);
    return;
  }
  if (/^[a-z]+:\/\//i.test(raw)) return; // a URL kustomize downloads as a file: nothing local to check
  let value = raw;
  let offset = 0;
  if (strip) ({ value, offset } = strip(raw));
  fact.paths.push({ type: 'path', owner, role, value, span: valueSpan(node!, span, offset, value.length), baseDir, expect } satisfies PathRef);
}

/** `key=path` in generator `files`: the reference is the part after `=`. */
function stripKeyEquals(raw: string): { value: string; offset: number } {
  const eq = raw.indexOf('=');
  return eq >= 0 ? { value: raw.slice(eq + 1), offset: eq + 1 } : { value: raw, offset: 0 };
}

/** Span of the value's characters inside a scalar node, skipping a quote character when the scalar is quoted. */
export function valueSpan(node: Node, span: { start: number; end: number }, offset: number, length: number) {
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
  const start = span.start + quoted + offset;
  return { start, end: Math.min(start + length, span.end) };
}

export function isKustomizeConfig(root: Node): boolean {
  if (!isMap(root)) return false;
  const api = scalarText(mapGet(root, 'apiVersion'));
  const kind = scalarText(mapGet(root, 'kind'));
  if (api === undefined && kind === undefined) return true;
  return (api ?? '').startsWith('kustomize.config.k8s.io/') && (kind === 'Kustomization' || kind === 'Component' || kind === undefined);
}
