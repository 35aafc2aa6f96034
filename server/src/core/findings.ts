// Diagnostics as plain data. Codes are stable: editors, CI and tests key on them.
import type { Span } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type FindingCode =
  | 'path-not-found'
  | 'source-not-found'
  | 'source-not-mapped'
  | 'object-not-found'
  | 'remote-base-not-mapped'
  | 'dependency-cycle'
  | 'include-cycle'
  | 'duplicate-object'
  | 'yaml-syntax'
  | 'limit-exceeded'
  | 'outside-root'
  | 'empty-prune-path'
  | 'config-invalid'
  | 'walk-truncated'
  | 'file-skipped'
  | 'undefined-variable'
  | 'substitution-disabled'
  | 'ineffective-override'
  | 'values-key-not-found'
  | 'unsupported-kustomize-feature'
  | 'kustomize-build-error'
  | 'locked-field'
  | 'redundant-override'
  | 'missing-required'
  | 'schema'
  | 'deprecated-api'
  // Flux Operator ResourceSets (core/resourceSet): a template that does not parse or fails to render, an `inputs.x`
  // no input set defines, a call of a function the operator does not have, an object generated twice with different
  // content (or in two steps), a spec the operator rejects, a provider whose inputs are not known offline.
  | 'template-error'
  | 'undefined-input'
  | 'unknown-template-function'
  | 'duplicate-generated-object'
  | 'resourceset-invalid'
  | 'provider-inputs-unknown'
  // Customer separation (core/tenants): one rule per code.
  | 'tenant-escape'
  | 'no-service-account'
  | 'cross-namespace-ref'
  | 'remote-base'
  | 'rbac-broadening'
  // Change impact (core/impact): objects a prune: true Kustomization deletes, at the line whose edit causes it.
  | 'prune-deletes';

export interface RelatedInfo {
  file: string;
  span: Span;
  message: string;
}

/** What a quick-fix needs to know about a finding, carried along so the fix does not re-derive it. */
export type FixData =
  | { fix: 'path'; baseDir: string; value: string; expect: 'file' | 'dir' | 'file-or-dir' | 'component-dir' }
  | { fix: 'source'; kinds: string[]; namespace?: string; name: string }
  | { fix: 'map'; key: string; repositoryOfFile: string };

export interface Finding {
  file: string;
  span: Span;
  severity: Severity;
  code: FindingCode;
  message: string;
  related?: RelatedInfo[];
  data?: FixData;
}

/** Findings in a stable order (file, position, code, message): what a pass found, whatever order it visited in. */
export function byPosition(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || (a.span?.start ?? 0) - (b.span?.start ?? 0) || (a.span?.end ?? 0) - (b.span?.end ?? 0) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}

/**
 * One mistake, one finding. The evaluation builds what the linker has already checked: a kustomize build error at a
 * place where another error is reported (a missing `resources:` entry is `path-not-found`, and the build fails on
 * it too) says the same thing twice. Both passes stay; the repeat is dropped when they meet.
 */
export function withoutRepeats(findings: Finding[]): Finding[] {
  const errorsByFile = new Map<string, Finding[]>();
  for (const f of findings) if (f.severity === 'error' && f.code !== 'kustomize-build-error') errorsByFile.set(f.file, [...(errorsByFile.get(f.file) ?? []), f]);
  const repeats = (f: Finding) => f.code === 'kustomize-build-error' && (errorsByFile.get(f.file) ?? []).some((e) => e.span.start <= f.span.end && f.span.start <= e.span.end);
  return distinctFindings(findings.filter((f) => !repeats(f)));
}

/** One finding per file, span, code and message (two passes, or two variants of one object, can say the same). */
export function distinctFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.code}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
