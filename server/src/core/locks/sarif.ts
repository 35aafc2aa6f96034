// SARIF 2.1.0 for `flux-fleet check --format sarif`: every finding (not only locks) as a result, with its rule, its
// region (lines and columns when the file's text is at hand, always character offsets) and related locations.
// Code-scanning UIs (GitHub, GitLab, Azure DevOps) show these on the lines of a merge request.
import type { Finding, Severity } from '../findings';
import { computeLineStarts, offsetToLineCol, type Span } from '../text';
import { relative } from '../paths';

const RULES: Record<string, string> = {
  'path-not-found': 'A path (kustomize field, Flux spec.path, remote base) leads nowhere.',
  'source-not-found': 'A Flux sourceRef names no source object.',
  'source-not-mapped': 'A source is not mapped to a local folder, so its content cannot be followed.',
  'object-not-found': 'A reference (dependsOn, valuesFrom, substituteFrom, chartRef, App config) names no object.',
  'remote-base-not-mapped': 'A kustomize remote base is not mapped to a local folder.',
  'dependency-cycle': 'Flux dependsOn forms a cycle.',
  'include-cycle': 'Kustomizations include each other in a cycle.',
  'duplicate-object': 'The same object is defined twice in one build.',
  'yaml-syntax': 'The YAML does not parse.',
  'limit-exceeded': 'Input beyond one of the bounds that keep the work linear (file size, nesting, aliases): not read.',
  'outside-root': 'A path leaves its repository.',
  'empty-prune-path': 'A pruning Flux Kustomization builds nothing: applying it deletes what it deployed.',
  'config-invalid': 'A .flux-fleet.yaml entry is invalid.',
  'walk-truncated': 'A repository was not read to its end (too many files or folders too deep).',
  'file-skipped': 'A file was not read (too large, binary or a template).',
  'undefined-variable': 'A ${VAR} has no value and no default.',
  'substitution-disabled': 'A Flux variable is used where substitution does not happen.',
  'ineffective-override': 'A value is always replaced by a later layer.',
  'values-key-not-found': 'A valuesFrom key does not exist.',
  'unsupported-kustomize-feature': 'A kustomize feature that is not evaluated.',
  'kustomize-build-error': 'The kustomize build fails.',
  'locked-field': 'A layer outside the allowed scope changes a locked field.',
  'redundant-override': 'A layer sets a locked field to the locked value again.',
  'missing-required': 'A required field is not set in a context.',
  'tenant-escape': "A tenant's build creates cluster-scoped objects or objects in another tenant's or the platform's namespaces.",
  'no-service-account': "A tenant's Kustomization or HelmRelease would run with the controller's own (cluster-admin) rights.",
  'cross-namespace-ref': "A tenant's reference into another namespace, refused under Flux's no-cross-namespace-refs lockdown.",
  'remote-base': "A kustomize remote base in a tenant's build, refused under Flux's no-remote-bases lockdown.",
  'rbac-broadening': "A tenant's RoleBinding grants cluster-admin or a ClusterRole with '*' verbs.",
  'prune-deletes': 'An edit makes a prune: true Kustomization delete objects from the cluster (an error when a Namespace, PersistentVolumeClaim or CustomResourceDefinition goes).',
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: unknown[];
}

/** Percent-encodes a relative or absolute POSIX path as a URI reference. */
function uriOf(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = relative(cwd, file);
  const encode = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  if (rel && !rel.startsWith('..') && !rel.startsWith('/')) return { uri: encode(rel), uriBaseId: 'SRCROOT' };
  return { uri: 'file://' + encode(file) };
}

/**
 * SARIF 2.1.0 of `findings`, paths relative to `cwd` (the SRCROOT base). `textOf` gives a file's text for line and
 * column regions; without it (or for files it does not know) regions are character offsets only.
 */
export function toSarif(findings: Finding[], cwd: string, textOf?: (file: string) => string | undefined, toolVersion = '0.1.0'): SarifLog {
  const starts = new Map<string, number[] | undefined>();
  const lineStarts = (file: string) => {
    if (!starts.has(file)) {
      const text = textOf?.(file);
      starts.set(file, text === undefined ? undefined : computeLineStarts(text));
    }
    return starts.get(file);
  };
  const region = (file: string, span: Span) => {
    const out: Record<string, number> = { charOffset: span.start, charLength: Math.max(0, span.end - span.start) };
    const ls = lineStarts(file);
    if (ls) {
      const s = offsetToLineCol(ls, span.start);
      const e = offsetToLineCol(ls, span.end);
      Object.assign(out, { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 });
    }
    return out;
  };
  const location = (file: string, span: Span, message?: string, id?: number) => ({
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: uriOf(file, cwd), region: region(file, span) },
    ...(message ? { message: { text: message } } : {}),
  });
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const severities = new Map<string, Severity>();
  for (const f of findings) if (!severities.has(f.code)) severities.set(f.code, f.severity);
  const sorted = [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || a.code.localeCompare(b.code));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flux-fleet',
            informationUri: 'https://github.com/flux-fleet/flux-fleet',
            version: toolVersion,
            rules: codes.map((code) => ({
              id: code,
              name: code.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: RULES[code] ?? code },
              defaultConfiguration: { level: LEVEL[severities.get(code) ?? 'warning'] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: 'file://' + cwd.split('/').map(encodeURIComponent).join('/').replace(/\/?$/, '/') } },
        results: sorted.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [location(f.file, f.span)],
          ...(f.related?.length ? { relatedLocations: f.related.map((r, i) => location(r.file, r.span, r.message, i + 1)) } : {}),
          partialFingerprints: { primaryLocationLineHash: `${f.code}:${relative(cwd, f.file)}:${f.span.start}` },
        })),
      },
    ],
  };
}
