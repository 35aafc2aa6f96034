// Findings, as the CLI and the editor get them (tenant separation included). Three tiers, one truth:
// - `fileFindings`: one file at once (its link findings re-resolved against the last links, its schema as written);
// - `evaluateFleet`: the evaluated builds (values, variables, locks, schemas as deployed), in the background;
// - `check`: everything, for CI.
// Where the evaluation contradicts the linker, the linker's finding is withdrawn; one mistake is one finding.
import type { Fleet } from '../core/model';
import { withoutRepeats, type Finding } from '../core/findings';
import { EVERY_CONTEXT, contextsToEvaluate, evaluationFindings } from '../core/evaluate/valueFindings';
import { locksFindings, contextsWriting } from '../core/locks/check';
import { contradictedLinkFindings, findingKey } from '../core/evaluate/contradicted';
import { evaluatorOf, type Context } from '../core/evaluate/contexts';
import { deployChains } from '../core/deployChains';
import { schemaDiagnostics, fleetSchemaDiagnostics, fleetDeployedSchemaDiagnostics, deployedSchemaDiagnostics } from '../features/schemaDiagnostics';
import { deprecatedApiFindings, fleetDeprecatedApiFindings } from '../features/deprecatedApi';
import { tenantFindings } from '../core/tenants/registry';
import { Cancelled, throwIfCancelled, type CancellationToken } from './cancel';

export interface CheckOptions {
  strictSubstitution: boolean;
  schema: boolean;
}

/** Every finding of `flux-fleet check`: links, evaluated values, locks, schemas, deprecations (contexts evaluated once). */
export function check(fleet: Fleet, options: CheckOptions, token?: CancellationToken): Finding[] {
  // Every context's whole build is needed: enumerating the contexts makes them (skeletons read from them).
  return evaluatorOf(fleet).forWholeFleet(() => checkWholeFleet(fleet, options, token));
}

function checkWholeFleet(fleet: Fleet, options: CheckOptions, token?: CancellationToken): Finding[] {
  const { contexts } = contextsToEvaluate(fleet, { strictSubstitution: options.strictSubstitution, maxContexts: EVERY_CONTEXT });
  throwIfCancelled(token);
  const contradicted = contradictedLinkFindings(fleet, contexts);
  // Three passes over the same contexts: their builds are held across them (CI has the memory; the editor does not).
  return evaluatorOf(fleet).withBuildsHeld(contexts.length, () =>
    withoutRepeats([
      ...fleet.links.findings.filter((f) => !contradicted.has(findingKey(f))),
      ...evaluationFindings(fleet, { strictSubstitution: options.strictSubstitution }, contexts),
      ...locksFindings(fleet, { contexts }),
      ...tenantFindings(fleet, contexts),
      ...(options.schema ? fleetSchemaDiagnostics(fleet, { evaluate: true }) : []),
      ...fleetDeprecatedApiFindings(fleet),
    ]),
  );
}

/** What the evaluated builds add, and which link findings they withdraw. */
export interface Evaluated {
  version: number;
  byFile: Map<string, Finding[]>;
  contradicted: Set<string>;
  /** Which contexts were evaluated, for the log. */
  scope: string;
  count: number;
}

/** The fast tier of one file: its link findings (those the last evaluation withdrew left out) and its schema. */
export function fileFindings(fleet: Fleet, file: string, options: { schema: boolean; evaluated?: Evaluated }): Finding[] {
  const linked = fleet.findingsOf(file).filter((x) => !options.evaluated?.contradicted.has(findingKey(x)));
  return withoutRepeats([...linked, ...(options.schema ? schemaDiagnostics(fleet, file) : []), ...deprecatedApiFindings(fleet, file)]);
}

/** Every file's findings to publish: the whole link, the evaluated tier when it is of this fleet version. */
export function fleetFindingsByFile(fleet: Fleet, options: { schema: boolean; evaluated?: Evaluated }): Map<string, Finding[]> {
  const byFile = new Map(fleet.links.findingsByFile);
  const ev = options.evaluated?.version === fleet.version ? options.evaluated : undefined;
  if (ev?.contradicted.size) for (const [file, xs] of byFile) byFile.set(file, xs.filter((x) => !ev.contradicted.has(findingKey(x))));
  if (ev) for (const [file, xs] of ev.byFile) byFile.set(file, [...(byFile.get(file) ?? []), ...xs]);
  for (const x of [...(options.schema ? fleetSchemaDiagnostics(fleet) : []), ...fleetDeprecatedApiFindings(fleet)]) byFile.set(x.file, [...(byFile.get(x.file) ?? []), x]);
  for (const [file, xs] of byFile) byFile.set(file, withoutRepeats(xs));
  return byFile;
}

export interface EvaluateOptions {
  strictSubstitution: boolean;
  schema: boolean;
  /** Files open in the editor: a fleet too large to evaluate whole evaluates their contexts. */
  openFiles: string[];
  maxContexts: number;
  /** Lets other requests in between context builds; false when the work is superseded. */
  pause: () => Promise<boolean>;
  token?: CancellationToken;
  /** How many of the contexts to build are built (at the start, at each pause and at the end): the server's progress. */
  progress?: (done: number, total: number) => void;
}

/**
 * The evaluated tier, in the background: contexts built a few at a time with pauses in between (hovers and
 * completion are answered meanwhile), then the findings of the held builds. Undefined when superseded.
 */
export async function evaluateFleet(fleet: Fleet, options: EvaluateOptions): Promise<Evaluated | undefined> {
  const version = fleet.version;
  const all = contextsToEvaluate(fleet, { strictSubstitution: options.strictSubstitution, maxContexts: options.maxContexts });
  const ev = evaluatorOf(fleet);
  const files = options.openFiles;
  const toBuild = all.capped ? [...new Set(files.flatMap((file) => ev.chainContexts(deployChains(fleet, file), options.maxContexts)))] : all.contexts;
  try {
    options.progress?.(0, toBuild.length);
    for (let i = 0; i < toBuild.length; i++) {
      void toBuild[i].build;
      throwIfCancelled(options.token);
      if (i % 8 === 7) {
        options.progress?.(i + 1, toBuild.length);
        if (!(await options.pause())) return undefined;
      }
    }
    options.progress?.(toBuild.length, toBuild.length);
  } catch (e) {
    if (e instanceof Cancelled) return undefined;
    throw e;
  }
  const contexts = all.capped ? contextsToEvaluate(fleet, { strictSubstitution: options.strictSubstitution, files, maxContexts: options.maxContexts }).contexts : all.contexts;
  const contradicted = contradictedLinkFindings(fleet, contexts);
  let findings: Finding[];
  let scope = 'every context';
  if (!all.capped) findings = [...evaluationFindings(fleet, { strictSubstitution: options.strictSubstitution }, contexts), ...locksFindings(fleet, { contexts }), ...tenantFindings(fleet, contexts)];
  else {
    // Locks: the contexts that write the open files (also those of the Flux Kustomizations they define).
    const writing = new Map<string, Context>();
    for (const file of files) for (const c of contextsWriting(fleet, file, options.maxContexts)) writing.set(c.key, c);
    // Tenants: the contexts of the open files (a tenant is inferred from its parent's build, which they include).
    findings = [...evaluationFindings(fleet, { strictSubstitution: options.strictSubstitution }, contexts), ...locksFindings(fleet, { contexts: [...writing.values()] }), ...tenantFindings(fleet, contexts)];
    scope = `the contexts of ${files.length} open files (the fleet has more than ${options.maxContexts} contexts)`;
  }
  if (options.schema) findings.push(...(all.capped ? files.flatMap((file) => deployedSchemaDiagnostics(fleet, file)) : fleetDeployedSchemaDiagnostics(fleet)));
  const byFile = new Map<string, Finding[]>();
  for (const x of findings) byFile.set(x.file, [...(byFile.get(x.file) ?? []), x]);
  return { version, byFile, contradicted, scope, count: findings.length };
}
