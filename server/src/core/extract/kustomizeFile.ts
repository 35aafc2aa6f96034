// Facts of a kustomize `kustomization.yaml` (kind Kustomization or Component): every path it names.
import { isMap, isScalar, type Node } from 'yaml';
import type { DocRef, KustomizeFact, ObjectFact, PathExpectation, PathRef, PathRole, RemoteRef } from '../facts';
import { extractPatches } from './patches';
import { kustomizationRefusal } from '../kustomize/kustomizationShape';
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
  const refused = kustomizationRefusal(root.toJSON() as Json);
  if (refused) fact.refused = refused;

  const addPath = (node: Node | undefined, role: PathRole, expect: PathExpectation, allowRemote = false, strip?: (v: string) => { value: string; offset: number }) => {
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
  };

  for (const n of seqItems(mapGet(root, 'resources'))) addPath(n, 'resources', 'file-or-dir', true);
  for (const n of seqItems(mapGet(root, 'bases'))) addPath(n, 'bases', 'dir', true);
  for (const n of seqItems(mapGet(root, 'components'))) addPath(n, 'components', 'component-dir', true);
  for (const n of seqItems(mapGet(root, 'crds'))) addPath(n, 'crds', 'file');
  for (const n of seqItems(mapGet(root, 'configurations'))) addPath(n, 'configurations', 'file');
  for (const n of seqItems(mapGet(root, 'generators'))) addPath(n, 'generators', 'file-or-dir', true);
  for (const n of seqItems(mapGet(root, 'transformers'))) addPath(n, 'transformers', 'file-or-dir', true);
  for (const n of seqItems(mapGet(root, 'patches'))) addPath(mapGet(n, 'path'), 'patches', 'file');
  for (const n of seqItems(mapGet(root, 'patchesJson6902'))) addPath(mapGet(n, 'path'), 'patchesJson6902', 'file');
  for (const n of seqItems(mapGet(root, 'replacements'))) addPath(mapGet(n, 'path'), 'replacements', 'file');
  for (const n of seqItems(mapGet(root, 'helmCharts'))) addPath(mapGet(n, 'valuesFile'), 'helmCharts.valuesFile', 'file');
  addPath(getIn(root, ['openapi', 'path']), 'openapi', 'file');
  for (const n of seqItems(mapGet(root, 'patchesStrategicMerge'))) {
    // An entry is either a file path or an inline patch (a YAML document as a string).
    const v = scalarText(n);
    if (v !== undefined && !v.includes('\n') && !/:\s/.test(v)) addPath(n, 'patchesStrategicMerge', 'file');
  }

  const generatorNamespace = fact.namespace;
  for (const [field, genKind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const gen of seqItems(mapGet(root, field))) {
      for (const f of seqItems(mapGet(gen, 'files'))) addPath(f, `${field}.files`, 'file', false, stripKeyEquals);
      for (const f of seqItems(mapGet(gen, 'envs'))) addPath(f, `${field}.envs`, 'file');
      addPath(mapGet(gen, 'env'), `${field}.envs`, 'file');
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
