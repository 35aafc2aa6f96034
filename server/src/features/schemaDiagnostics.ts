// `schema` diagnostics: every Flux, Giant Swarm App/Catalog and kustomization document validated against the
// generated schemas (schemas/index.json), each problem on the offending key or value. A string holding `${…}` is
// never reported as written: Flux substitutes it first. A field set to null is dropped, as the API server does.
//
// Two tiers. As written (schemaDocuments.ts, cached per indexed text, cheap on every keystroke): documents of a
// file Flux deploys keep their missing required fields back (a parent's patches may supply them). With
// `evaluate: true` (schemaDeployed.ts): documents contexts deploy are decided on the objects as deployed, in each
// context; documents no context deploys keep their findings as written.
import type { Fleet } from '../core/model';
import type { FileFacts } from '../core/facts';
import type { SchemaFinding } from '../core/schemas/findings';
import { deployChains } from './deployChains';
import type { Links } from '../core/link/linker';
import { mayValidate, validateFile, type DocFinding, type DocResult, type FileResult } from './schemaDocuments';
import { deployedDocFindings, type DeployedFinding } from './schemaDeployed';
import { generatedSchemaFindings } from './schemaGenerated';
import { schemaValidators } from '../core/schemas/validate';
import { basename, isKustomizationFileName } from '../core/paths';

export interface SchemaDiagnosticsOptions {
  /** Decide the documents contexts deploy on the objects as deployed, in each context (slower: evaluates builds). */
  evaluate?: boolean;
}

/** The result of every file with nothing to answer (no finding, no placeholder): most files. */
const NO_ANSWER: FileResult = Object.freeze({ docs: Object.freeze([]) as unknown as FileResult['docs'] });

/**
 * The texts validated with nothing to answer during one pass over the fleet, by whether their file is named as a
 * kustomization file (1) or not (2): the only part of a file's name its validation reads (mayHaveSchema, the catalogue
 * entry). Another file of the same text answers nothing either: a fleet repeats its files (the synthetic fleet: 4,237
 * of its 10,987 files hold another file's text), each read flat and validated again.
 */
type CleanTexts = Map<string, number>;

function resultOf(fleet: Fleet, file: string, clean?: CleanTexts): FileResult | undefined {
  const facts = fleet.facts.get(file);
  if (!facts) return undefined;
  // Kept for as long as the file's facts: a result with nothing to answer is kept as the one shared value (its
  // documents' records, one table entry per file of the fleet, were what a whole check's schema pass promoted).
  return fleet.db.weak<FileFacts, FileResult>('schemaFindings').getOrMake(facts, () => {
    // (a file with no document to validate, most, answers nothing at once: its text is not looked up)
    if (clean && !mayValidate(facts)) return NO_ANSWER;
    const as = clean ? (isKustomizationFileName(basename(file)) ? 1 : 2) : 0;
    if (as && ((clean!.get(facts.text) ?? 0) & as)) return NO_ANSWER;
    const r = validateFile(facts, schemaValidators(fleet), fleet.parse);
    if (needsAnswer(r)) return r;
    if (as) clean!.set(facts.text, (clean!.get(facts.text) ?? 0) | as);
    return NO_ANSWER;
  });
}

/**
 * The links a keystroke may use: the current ones when they are up to date, else the last seen (the hot path after
 * a keystroke never re-links).
 */
function recentLinks(fleet: Fleet): Links {
  return fleet.recentLinks;
}

/**
 * What a file is to the builds: only a patch (a partial document, where a missing required field is expected),
 * part of some build, or in none (a draft, a test assertion: a missing field matters only once it is deployed, so
 * it is information there).
 */
function buildRole(links: Links, file: string): 'patch' | 'included' | 'standalone' {
  if (links.nonResourceFiles.has(file)) return 'patch';
  return links.includers.has(file) ? 'included' : 'standalone';
}

/** Is some Flux Kustomization above the file (through kustomizations)? Then its documents are decided as deployed. */
function fluxDeployed(links: Links, file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  return (links.includers.get(file) ?? []).some((inc) => inc.type === 'flux' || fluxDeployed(links, inc.file, seen));
}

function strip(f: DocFinding & { base?: string }): SchemaFinding {
  if (!('required' in f) && !('base' in f)) return f;
  const { required: _r, base: _b, ...rest } = f;
  return rest;
}

/** A document's findings as written, for its file's role (`withholdRequired`: decided once deployed). */
function asWritten(d: DocResult, role: ReturnType<typeof buildRole>, withholdRequired: boolean): SchemaFinding[] {
  return d.findings
    .filter((f) => !(f.required && (role === 'patch' || withholdRequired)))
    // Flux never applies a file no build includes (a draft, a test assertion): a hint, not a warning, until one does.
    .map((f) => (role === 'standalone' && f.required ? { ...strip(f), severity: 'information' as const, message: `${f.message}; the file is in no build yet` } : strip(f)));
}

function needsAnswer(r: FileResult | undefined): r is FileResult {
  return !!r && r.docs.some((d) => d.findings.length || d.placeholders);
}

/** The findings as written (the fast tier). */
function fastFindings(fleet: Fleet, file: string, r: FileResult): SchemaFinding[] {
  const required = r.docs.some((d) => d.findings.some((f) => f.required));
  const links = required ? recentLinks(fleet) : undefined;
  const role = links ? buildRole(links, file) : 'included';
  const withhold = !!links && role === 'included' && fluxDeployed(links, file);
  return r.docs.flatMap((d) => asWritten(d, role, withhold));
}

/** No document of the file is deployed (a file only patches or generator inputs include). */
const NOT_DEPLOYED: ReadonlyMap<number, DeployedFinding[]> = new Map();

/** Every finding: documents contexts deploy as deployed, the others as written. */
function evaluatedFindings(fleet: Fleet, file: string, r: FileResult): Array<SchemaFinding & { base?: string }> {
  // A file the linker finds only as a patch or generator input declares no object (linker.ts, nonResourceFiles): no
  // build has a resource from it. Its contexts are not made and scanned for one (a whole check of the synthetic fleet
  // scanned the builds of up to 60 contexts for each of its 200 cluster patches of a tenant's Kustomization, to find
  // nothing).
  const deployed = fleet.links.nonResourceFiles.has(file) ? NOT_DEPLOYED : deployedDocFindings(fleet, file, r, deployChains(fleet, file));
  const role = r.docs.some((d) => !deployed.has(d.index) && d.findings.some((f) => f.required)) ? buildRole(fleet.links, file) : 'included';
  return r.docs.flatMap((d) => deployed.get(d.index)?.map((f) => ({ ...strip(f), base: f.base })) ?? asWritten(d, role, false));
}

/** Schema findings of one file (as written: cached per indexed text; `evaluate`: as deployed). */
export function schemaDiagnostics(fleet: Fleet, file: string, options: SchemaDiagnosticsOptions = {}, clean?: CleanTexts): SchemaFinding[] {
  const generated = fleet.facts.get(file)?.resourceSets ? generatedSchemaFindings(fleet, file, options.evaluate ? fleet.links : recentLinks(fleet)) : [];
  const r = resultOf(fleet, file, clean);
  if (!needsAnswer(r)) return generated;
  if (!options.evaluate) return [...fastFindings(fleet, file, r), ...generated];
  return [...evaluatedFindings(fleet, file, r).map(strip), ...generated];
}

/**
 * What evaluation adds to the fast tier of one file (a server that publishes `schemaDiagnostics` at once and these
 * with the other evaluated-build findings when typing pauses): missing fields no patch supplies, substituted values,
 * values other files set, problems that hold only in some contexts. A problem the fast tier shows already (same
 * place, same words) is not repeated with its contexts.
 */
export function deployedSchemaDiagnostics(fleet: Fleet, file: string): SchemaFinding[] {
  const r = resultOf(fleet, file);
  if (!needsAnswer(r)) return [];
  const shown = new Set(fastFindings(fleet, file, r).map((f) => `${f.span.start}:${f.span.end}\0${f.message}`));
  return evaluatedFindings(fleet, file, r)
    .filter((f) => !shown.has(`${f.span.start}:${f.span.end}\0${f.base ?? f.message}`))
    .map(strip);
}

/** The same for every file of the fleet. */
export function fleetDeployedSchemaDiagnostics(fleet: Fleet): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const file of fleet.facts.keys()) out.push(...deployedSchemaDiagnostics(fleet, file));
  return out;
}

/** Schema findings of every file of the fleet (files unchanged since the last call cost a map lookup). */
export function fleetSchemaDiagnostics(fleet: Fleet, options: SchemaDiagnosticsOptions = {}): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  const clean: CleanTexts = new Map();
  for (const file of fleet.facts.keys()) out.push(...schemaDiagnostics(fleet, file, options, clean));
  return out;
}
