// Background work of the server, in two speeds: the edited file's diagnostics at once, the whole fleet's when typing
// pauses, and the evaluated tier (values, locks, schemas as deployed) after that, a few contexts at a time with pauses
// so that requests are answered meanwhile. One evaluation per fleet version; a newer version supersedes it.
import type { Diagnostic } from 'vscode-languageserver/node';
import * as ide from '../ide';
import { pathToUri, toDiagnostic } from './convert';

export interface SchedulerHost {
  fleet(): ide.Fleet | undefined;
  openFiles(): string[];
  options(): { strictSubstitution: boolean; schema: boolean };
  send(uri: string, diagnostics: Diagnostic[]): void;
  /** Findings computed elsewhere (the change impact's prune-deletes), by file, published with the file's own. */
  moreFindings(fleet: ide.Fleet): Map<string, ide.Finding[]>;
  log(message: string): void;
  /** The `fluxFleet.logLevel` setting: `debug` logs every background evaluation, `info` only what changed. */
  debug(): boolean;
  error(message: string): void;
  /** The server's line of turns for background work (core/steps.ts sharedTurns): requests are let in between units. */
  turn(): Promise<void>;
  /** The progress of background work (lsp/fleetStatus.ts), when the server shows it. */
  progress?: {
    evaluation(): { report(done: number, total: number): void; done(): void };
    findingContexts(): { report(found: number): void; done(): void };
  };
}

const FULL_PUBLISH_DELAY_MS = 200;
const EVALUATE_DELAY_MS = 400;
/** Contexts evaluated in the background; a larger fleet evaluates the contexts of the open files. */
const BACKGROUND_CONTEXTS = 300;

export function scheduler(host: SchedulerHost) {
  const published = new Map<string, string>();
  let publishTimer: NodeJS.Timeout | undefined;
  let evaluateTimer: NodeJS.Timeout | undefined;
  let evaluated: ide.Evaluated | undefined;
  /** The fleet version an evaluation is running for (one at a time; a newer version starts its own). */
  let evaluating: { fleet: ide.Fleet; version: number } | undefined;
  let followsOpenFiles = false;
  /** What the last logged evaluation said: an evaluation that says the same is not logged again (every keystroke makes one). */
  let lastLogged: string | undefined;
  let stopped = false;

  /**
   * Lets other requests in (hovers, completion) between units of work; false when the fleet changed meanwhile. The
   * turns are the server's line (host.turn): the change impact and the publishing take theirs in it too.
   */
  const pauseFor = (f: ide.Fleet, version: number) => async (): Promise<boolean> => {
    await host.turn();
    return !stopped && f === host.fleet() && f.version === version;
  };

  function publishFile(file: string): void {
    const f = host.fleet();
    if (!f) return;
    const uri = pathToUri(file);
    const diagnostics = [...ide.fileFindings(f, file, { schema: host.options().schema, evaluated }), ...(host.moreFindings(f).get(file) ?? [])].map((x) => toDiagnostic(f, x));
    const json = JSON.stringify(diagnostics);
    if (published.get(uri) === json) return;
    if (diagnostics.length) published.set(uri, json);
    else published.delete(uri);
    host.send(uri, diagnostics);
  }

  /** While only the open files are indexed: what they alone decide (ide.earlyFileFindings), when there is any. */
  function publishEarly(f: ide.Fleet, file: string): void {
    const diagnostics = ide.earlyFileFindings(f, file).map((x) => toDiagnostic(f, x));
    if (!diagnostics.length) return;
    const uri = pathToUri(file);
    published.set(uri, JSON.stringify(diagnostics));
    host.send(uri, diagnostics);
  }

  /** The latest publishAll: an earlier one still collecting findings stops at its next pause. */
  let publishing = 0;

  /** Every file's findings, collected in slices (a fleet of 40k files takes a few hundred ms), then sent. */
  async function publishAll(): Promise<void> {
    const f = host.fleet();
    if (!f) return;
    const run = ++publishing;
    const pause = pauseFor(f, f.version);
    const byFile = await ide.fleetFindingsByFilePaced(f, { schema: host.options().schema, evaluated, pause: async () => (await pause()) && run === publishing });
    if (!byFile || run !== publishing || f !== host.fleet()) return;
    const next = new Map<string, string>();
    for (const [file, xs] of host.moreFindings(f)) byFile.set(file, [...(byFile.get(file) ?? []), ...xs]);
    for (const [file, findings] of byFile) {
      const uri = pathToUri(file);
      const diagnostics = findings.map((x) => toDiagnostic(f, x));
      const json = JSON.stringify(diagnostics);
      next.set(uri, json);
      if (published.get(uri) !== json) host.send(uri, diagnostics);
    }
    for (const uri of published.keys()) if (!next.has(uri)) host.send(uri, []);
    published.clear();
    for (const [k, v] of next) published.set(k, v);
    if (evaluated?.version !== f.version) scheduleEvaluation();
  }

  function schedulePublish(): void {
    if (publishTimer) clearTimeout(publishTimer);
    publishTimer = setTimeout(publishAllSafely, FULL_PUBLISH_DELAY_MS);
  }

  /** A failure is logged; the server goes on. */
  function publishAllSafely(): void {
    publishAll().catch((e) => host.error(`flux-fleet: publishing diagnostics failed: ${String((e as Error)?.stack ?? e)}`));
  }

  function scheduleEvaluation(): void {
    if (evaluateTimer) clearTimeout(evaluateTimer);
    evaluateTimer = setTimeout(() => void evaluateInBackground(), EVALUATE_DELAY_MS);
  }

  async function evaluateInBackground(): Promise<void> {
    const f = host.fleet();
    if (!f || stopped || evaluated?.version === f.version) return;
    if (evaluating?.fleet === f && evaluating.version === f.version) return;
    const version = f.version;
    evaluating = { fleet: f, version };
    const started = Date.now();
    const progress = host.progress?.evaluation();
    try {
      const opts = host.options();
      const result = await ide.evaluateFleet(f, { ...opts, openFiles: host.openFiles(), maxContexts: BACKGROUND_CONTEXTS, pause: pauseFor(f, version), progress: progress && ((done, total) => progress.report(done, total)) });
      if (!result || f !== host.fleet() || f.version !== version) return;
      followsOpenFiles = result.scope !== 'every context';
      evaluated = result;
      const said = `${result.scope} (${result.count} value findings)`;
      if (said !== lastLogged || host.debug()) host.log(`flux-fleet: evaluated ${result.scope} in ${Date.now() - started} ms (${result.count} value findings)`);
      lastLogged = said;
      publishAllSafely();
    } catch (e) {
      host.error(`flux-fleet: evaluation failed: ${String((e as Error)?.stack ?? e)}`);
    } finally {
      progress?.done();
      if (evaluating?.fleet === f && evaluating.version === version) evaluating = undefined;
    }
  }

  /** A failure in background work is logged; the server goes on. */
  function safely(what: string, f: () => void): void {
    try {
      f();
    } catch (e) {
      host.error(`flux-fleet: ${what} failed: ${String((e as Error)?.stack ?? e)}`);
    }
  }

  return {
    publishFile: (file: string) => safely(`diagnostics of ${file}`, () => publishFile(file)),
    publishEarly: (f: ide.Fleet, file: string) => safely(`early diagnostics of ${file}`, () => publishEarly(f, file)),
    publishAll: publishAllSafely,
    schedulePublish,
    /** In a fleet too large to evaluate whole, opening a file brings its contexts' findings. */
    openedFile(): void {
      if (!followsOpenFiles) return;
      evaluated = undefined;
      scheduleEvaluation();
    },
    /** Finds every context in the background right after loading (the first hover should not wait for them). */
    async warm(f: ide.Fleet): Promise<void> {
      const started = Date.now();
      const progress = host.progress?.findingContexts();
      try {
        const seen = await ide.warmContexts(f, pauseFor(f, f.version), undefined, progress && ((found) => progress.report(found)));
        if (seen !== undefined) host.log(`flux-fleet: found ${seen} contexts in ${Date.now() - started} ms (background)`);
      } catch (e) {
        host.error(`flux-fleet: finding contexts failed: ${String((e as Error)?.stack ?? e)}`);
      } finally {
        progress?.done();
      }
    },
    stop(): void {
      stopped = true;
      if (publishTimer) clearTimeout(publishTimer);
      if (evaluateTimer) clearTimeout(evaluateTimer);
    },
  };
}
