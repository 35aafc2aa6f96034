// Findings, as the CLI and the editor get them (tenant separation included). Three tiers, one truth:
// - `fileFindings`: one file at once (its link findings re-resolved against the last links, its schema as written);
// - `evaluateFleet`: the evaluated builds (values, variables, locks, schemas as deployed), in the background;
// - `check`: everything, for CI.
// Where the evaluation contradicts the linker, the linker's finding is withdrawn; one mistake is one finding.
import type { Fleet } from '../core/model';
import { withoutRepeats, type Finding } from '../core/findings';
import { EVERY_CONTEXT, contextsToEvaluate, evaluationFindings, evaluationFindingsSteps } from '../core/evaluate/valueFindings';
import { locksFindings, locksFindingsSteps, contextsWritingSteps } from '../core/locks/check';
import { contradictedLinkFindings, findingKey } from '../core/evaluate/contradicted';
import { allContextsSteps, evaluatorOf, type Context } from '../core/evaluate/contexts';
import { deployChains, rootKustomizations } from '../core/deployChains';
import { link } from '../core/link/linker';
import { placesIndexSteps } from '../core/link/relink';
import { runSteps, runStepsPaced, type Steps } from '../core/steps';
import { schemaDiagnostics, fleetSchemaDiagnostics, fleetDeployedSchemaDiagnostics, deployedSchemaDiagnostics } from '../features/schemaDiagnostics';
import { deprecatedApiFindings, fleetDeprecatedApiFindings } from '../features/deprecatedApi';
import { tenantFindings, tenantFindingsSteps } from '../core/tenants/registry';
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
  // Holding them costs little: a build's objects are its folder build's and the db's shared content (kept for the
  // other contexts of the folder): with 20 held, the synthetic fleet's check retained 2 MB less and its scavenges
  // copied 14% more (186 MB, not 163), each pass building again what the one before dropped (session 24,
  // scripts/bench-gc-bytes.ts).
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

/** What a file and the file tree alone decide: its YAML and the paths a kustomization file lists. */
const DECIDED_BY_THE_FILE: ReadonlySet<Finding['code']> = new Set<Finding['code']>(['yaml-syntax', 'path-not-found']);

/**
 * The findings of an open file while only the open files are indexed (ide/fleet.ts FirstFiles): the links of the
 * files indexed so far, kept to what the file and the tree decide (its YAML; a kustomization file's paths, no Flux
 * object in it), so nothing shown now is withdrawn when the whole fleet is linked. The fast tier follows then.
 */
export function earlyFileFindings(fleet: Fleet, file: string): Finding[] {
  const facts = fleet.facts.get(file);
  if (!facts) return [];
  const kustomizationOnly = !!facts.kustomize && !facts.fluxKustomizations.length && !facts.objectRefs.length;
  const found = link(fleet).findingsByFile.get(file) ?? [];
  return withoutRepeats(found.filter((f) => DECIDED_BY_THE_FILE.has(f.code) && (f.code === 'yaml-syntax' || kustomizationOnly)));
}

/** Every file's findings to publish: the whole link, the evaluated tier when it is of this fleet version. */
export function fleetFindingsByFile(fleet: Fleet, options: { schema: boolean; evaluated?: Evaluated }): Map<string, Finding[]> {
  return runSteps(fleetFindingsByFileSteps(fleet, options));
}

/**
 * fleetFindingsByFile for the server: in slices of a few ms with `pause` in between (requests answered meanwhile);
 * undefined when `pause` says the work is superseded.
 */
export function fleetFindingsByFilePaced(fleet: Fleet, options: { schema: boolean; evaluated?: Evaluated; pause: () => Promise<boolean>; sliceMs?: number }): Promise<Map<string, Finding[]> | undefined> {
  return runStepsPaced(fleetFindingsByFileSteps(fleet, options), options.pause, options.sliceMs ?? EVALUATION_SLICE_MS);
}

/** How many files fleetFindingsByFileSteps reads between two yields (each a memoized answer, or its schema checked). */
const FILES_PER_STEP = 500;

/** fleetFindingsByFile in steps: the server publishes a fleet of 40k files without holding requests for it. */
export function* fleetFindingsByFileSteps(fleet: Fleet, options: { schema: boolean; evaluated?: Evaluated }): Steps<Map<string, Finding[]>> {
  const byFile = new Map(fleet.links.findingsByFile);
  const ev = options.evaluated?.version === fleet.version ? options.evaluated : undefined;
  if (ev?.contradicted.size) for (const [file, xs] of byFile) byFile.set(file, xs.filter((x) => !ev.contradicted.has(findingKey(x))));
  if (ev) for (const [file, xs] of ev.byFile) byFile.set(file, [...(byFile.get(file) ?? []), ...xs]);
  yield;
  // As fleetSchemaDiagnostics then fleetDeprecatedApiFindings: every file's schema findings first, in the same order.
  // Grouped by file and appended once per file (one copy per finding made a file of 2,000 findings quadratic).
  const more = new Map<string, Finding[]>();
  const files = [...fleet.facts.keys()];
  for (const perFile of [...(options.schema ? [schemaDiagnostics] : []), deprecatedApiFindings]) {
    for (let i = 0; i < files.length; i++) {
      for (const x of perFile(fleet, files[i])) {
        const list = more.get(x.file);
        if (list) list.push(x);
        else more.set(x.file, [x]);
      }
      if (i % FILES_PER_STEP === FILES_PER_STEP - 1) yield;
    }
    yield;
  }
  for (const [file, xs] of more) byFile.set(file, [...(byFile.get(file) ?? []), ...xs]);
  let n = 0;
  for (const [file, xs] of byFile) {
    byFile.set(file, withoutRepeats(xs));
    if (++n % FILES_PER_STEP === 0) yield;
  }
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
  /** How long to work before pausing (default EVALUATION_SLICE_MS; 0: a pause at every unit of work). */
  sliceMs?: number;
  /** How many of the contexts to build are built (at the start, at each pause and at the end): the server's progress. */
  progress?: (done: number, total: number) => void;
}

/** How long the background evaluation works before it lets requests in (a hover waits this and one unit at most). */
const EVALUATION_SLICE_MS = 8;

/**
 * The evaluated tier, in the background: every unit of work (a context found, one built, one context's findings)
 * is a step, run in slices with pauses in between (hovers and completion are answered meanwhile). Undefined when
 * superseded or cancelled.
 */
export async function evaluateFleet(fleet: Fleet, options: EvaluateOptions): Promise<Evaluated | undefined> {
  try {
    return await runStepsPaced(evaluateFleetSteps(fleet, options), options.pause, options.sliceMs ?? EVALUATION_SLICE_MS, options.token);
  } catch (e) {
    if (e instanceof Cancelled) return undefined;
    throw e;
  }
}

/** The evaluated tier as steps (see evaluateFleet); runSteps runs it at once. */
export function* evaluateFleetSteps(fleet: Fleet, options: Omit<EvaluateOptions, 'pause' | 'sliceMs'>): Steps<Evaluated> {
  const version = fleet.version;
  const max = options.maxContexts;
  const ev = evaluatorOf(fleet);
  const files = options.openFiles;
  // What the next edit's relink needs, made here in steps rather than by the first request after that edit.
  yield* placesIndexSteps(fleet.links);
  // As contextsToEvaluate: every context up to the bound; at the bound, the fleet is too large to evaluate whole.
  const every = yield* allContextsSteps(fleet, rootKustomizations(fleet), max);
  const capped = every.length >= max;
  const toBuild: Context[] = capped ? [] : every;
  if (capped) {
    const seen = new Set<Context>();
    for (const file of files) for (const c of yield* ev.chainContextsSteps(deployChains(fleet, file), max)) if (!seen.has(c)) seen.add(c), toBuild.push(c);
  }
  options.progress?.(0, toBuild.length);
  for (let i = 0; i < toBuild.length; i++) {
    void toBuild[i].build;
    if (i % 8 === 7) options.progress?.(i + 1, toBuild.length);
    yield;
  }
  options.progress?.(toBuild.length, toBuild.length);
  let contexts = every;
  if (capped) {
    // As contextsToEvaluate with the open files: the contexts whose builds hold something written in them.
    const byKey = new Map<string, Context>();
    for (const file of files) for (const c of yield* ev.contextsForSteps(file, deployChains(fleet, file), max)) byKey.set(c.key, c);
    contexts = [...byKey.values()];
  }
  const contradicted = contradictedLinkFindings(fleet, contexts);
  yield;
  const findings = yield* evaluationFindingsSteps(fleet, { strictSubstitution: options.strictSubstitution }, contexts);
  let scope = 'every context';
  if (!capped) findings.push(...(yield* locksFindingsSteps(fleet, { contexts })), ...(yield* tenantFindingsSteps(fleet, contexts)));
  else {
    // Locks: the contexts that write the open files (also those of the Flux Kustomizations they define).
    const writing = new Map<string, Context>();
    for (const file of files) for (const c of yield* contextsWritingSteps(fleet, file, max)) writing.set(c.key, c);
    // Tenants: the contexts of the open files (a tenant is inferred from its parent's build, which they include).
    findings.push(...(yield* locksFindingsSteps(fleet, { contexts: [...writing.values()] })), ...(yield* tenantFindingsSteps(fleet, contexts)));
    scope = `the contexts of ${files.length} open files (the fleet has more than ${max} contexts)`;
  }
  if (options.schema) {
    if (!capped) findings.push(...fleetDeployedSchemaDiagnostics(fleet));
    else for (const file of files) {
      findings.push(...deployedSchemaDiagnostics(fleet, file));
      yield;
    }
  }
  const byFile = new Map<string, Finding[]>();
  for (const x of findings) byFile.set(x.file, [...(byFile.get(x.file) ?? []), x]);
  return { version, byFile, contradicted, scope, count: findings.length };
}
