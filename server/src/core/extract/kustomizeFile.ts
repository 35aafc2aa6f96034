// Facts of a kustomize `kustomization.yaml` (kind Kustomization or Component): every path it names.
import type { DocRef, KustomizeFact, ObjectFact, PathExpectation, PathRef, PathRole, RemoteRef } from '../facts';
import { extractPatches } from './patches';
import { EMPTY_KUSTOMIZATION, isSetValue, kustomizationRefusal } from '../kustomize/kustomizationShape';
import type { Json } from '../kustomize/types';
import { looksRemote, parseRemoteTarget } from '../sourceUrl';
import type { DocReader, ScalarData } from '../docReader';

export function extractKustomizeFile<N>(r: DocReader<N>, source: string, root: N, owner: DocRef, baseDir: string): KustomizeFact {
  const kind = r.text(r.get(root, 'kind')) === 'Component' ? 'Component' : 'Kustomization';
  const fact: KustomizeFact = {
    owner,
    kind,
    namespace: r.stringAt(root, ['namespace'])?.value,
    namePrefix: r.stringAt(root, ['namePrefix'])?.value,
    nameSuffix: r.stringAt(root, ['nameSuffix'])?.value,
    paths: [],
    remotes: [],
    generated: [],
    patches: [],
  };
  const refused = refusalOf(r, root);
  if (refused) fact.refused = refused;

  const at: PathSink<N> = { r, fact, owner, baseDir };

  for (const n of r.items(r.get(root, 'resources'))) addPath(at, n, 'resources', 'file-or-dir', true);
  for (const n of r.items(r.get(root, 'bases'))) addPath(at, n, 'bases', 'dir', true);
  for (const n of r.items(r.get(root, 'components'))) addPath(at, n, 'components', 'component-dir', true);
  for (const n of r.items(r.get(root, 'crds'))) addPath(at, n, 'crds', 'file');
  for (const n of r.items(r.get(root, 'configurations'))) addPath(at, n, 'configurations', 'file');
  for (const n of r.items(r.get(root, 'generators'))) addPath(at, n, 'generators', 'file-or-dir', true);
  for (const n of r.items(r.get(root, 'transformers'))) addPath(at, n, 'transformers', 'file-or-dir', true);
  for (const n of r.items(r.get(root, 'patches'))) addPath(at, r.get(n, 'path'), 'patches', 'file');
  for (const n of r.items(r.get(root, 'patchesJson6902'))) addPath(at, r.get(n, 'path'), 'patchesJson6902', 'file');
  for (const n of r.items(r.get(root, 'replacements'))) addPath(at, r.get(n, 'path'), 'replacements', 'file');
  for (const n of r.items(r.get(root, 'helmCharts'))) addPath(at, r.get(n, 'valuesFile'), 'helmCharts.valuesFile', 'file');
  addPath(at, r.getIn(root, ['openapi', 'path']), 'openapi', 'file');
  for (const n of r.items(r.get(root, 'patchesStrategicMerge'))) {
    // An entry is either a file path or an inline patch (a YAML document as a string).
    const v = r.text(n);
    if (v !== undefined && !v.includes('\n') && !/:\s/.test(v)) addPath(at, n, 'patchesStrategicMerge', 'file');
  }

  const generatorNamespace = fact.namespace;
  for (const [field, genKind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const gen of r.items(r.get(root, field))) {
      for (const f of r.items(r.get(gen, 'files'))) addPath(at, f, `${field}.files`, 'file', false, stripKeyEquals);
      for (const f of r.items(r.get(gen, 'envs'))) addPath(at, f, `${field}.envs`, 'file');
      addPath(at, r.get(gen, 'env'), `${field}.envs`, 'file');
      const name = r.stringAt(gen, ['name']);
      if (name && (r.text(r.get(gen, 'behavior')) ?? 'create') === 'create') {
        fact.generated.push({
          owner,
          apiVersion: 'v1',
          kind: genKind,
          name: name.value,
          namespace: r.stringAt(gen, ['namespace'])?.value ?? generatorNamespace,
          nameSpan: name.span,
          span: r.span(gen) ?? name.span,
          generated: true,
        } satisfies ObjectFact);
      }
    }
  }
  fact.patches = extractPatches(r, source, root, owner, baseDir, fact.paths);
  return fact;
}

/**
 * kustomizationRefusal of the document as JSON, read from its top-level pairs where they are plain (each key a string
 * scalar written once, each value a scalar of a primitive, a mapping or a sequence): nearly every kustomization. The
 * document's JSON (every value converted) is made only for the others: the index reads every kustomization.
 */
function refusalOf<N>(r: DocReader<N>, root: N): string | undefined {
  const entries = r.entries(root);
  if (!entries) return kustomizationRefusal(r.rootJSON(root) as Json);
  const keys = new Set<string>();
  let set = false;
  for (const { key, value } of entries) {
    if (typeof key !== 'string' || keys.has(key)) return kustomizationRefusal(r.rootJSON(root) as Json);
    keys.add(key);
    if (key === 'apiVersion' || key === 'kind' || value === undefined) continue;
    const shape = r.shape(value);
    if (shape === 'map' || shape === 'seq') set = true;
    else {
      const v = r.scalar(value)?.value;
      if (shape !== 'scalar' || (v !== null && typeof v === 'object') || typeof v === 'bigint') return kustomizationRefusal(r.rootJSON(root) as Json);
      if (isSetValue(v)) set = true;
    }
  }
  return set ? undefined : EMPTY_KUSTOMIZATION;
}

/** Where addPath puts the paths it reads (an object, not a closure per kustomization: every one indexed passes here). */
interface PathSink<N> {
  r: DocReader<N>;
  fact: KustomizeFact;
  owner: DocRef;
  baseDir: string;
}

function addPath<N>({ r, fact, owner, baseDir }: PathSink<N>, node: N | undefined, role: PathRole, expect: PathExpectation, allowRemote = false, strip?: (v: string) => { value: string; offset: number }): void {
  const raw = r.text(node);
  const span = r.span(node);
  if (raw === undefined || !span || raw.trim() === '') return;
  if (allowRemote && looksRemote(raw)) {
    const target = parseRemoteTarget(raw);
    if (target) fact.remotes.push({ type: 'remote', owner, role, value: raw, span: valueSpan(r.scalar(node)!, span, 0, raw.length), target } satisfies RemoteRef);
    return;
  }
  if (/^[a-z]+:\/\//i.test(raw)) return; // a URL kustomize downloads as a file: nothing local to check
  let value = raw;
  let offset = 0;
  if (strip) ({ value, offset } = strip(raw));
  fact.paths.push({ type: 'path', owner, role, value, span: valueSpan(r.scalar(node)!, span, offset, value.length), baseDir, expect } satisfies PathRef);
}

/** `key=path` in generator `files`: the reference is the part after `=`. */
function stripKeyEquals(raw: string): { value: string; offset: number } {
  const eq = raw.indexOf('=');
  return eq >= 0 ? { value: raw.slice(eq + 1), offset: eq + 1 } : { value: raw, offset: 0 };
}

/** Span of the value's characters inside a scalar node, skipping a quote character when the scalar is quoted. */
export function valueSpan(scalar: ScalarData, span: { start: number; end: number }, offset: number, length: number) {
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE' ? 1 : 0;
  const start = span.start + quoted + offset;
  return { start, end: Math.min(start + length, span.end) };
}

export function isKustomizeConfig<N>(r: DocReader<N>, root: N): boolean {
  if (r.shape(root) !== 'map') return false;
  const api = r.text(r.get(root, 'apiVersion'));
  const kind = r.text(r.get(root, 'kind'));
  if (api === undefined && kind === undefined) return true;
  return (api ?? '').startsWith('kustomize.config.k8s.io/') && (kind === 'Kustomization' || kind === 'Component' || kind === undefined);
}
