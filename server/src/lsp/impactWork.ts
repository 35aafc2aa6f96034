// The change impact in the server (issue 15): computed when typing pauses (one computation per fleet version and
// baseline; a newer edit cancels it, and it runs on the facade's async engine so hovers are answered meanwhile),
// sent to the client as `fluxFleet/impactChanged` when it differs from the last one sent, asked for with
// `fluxFleet/impact`, and its `prune-deletes` findings published with the other diagnostics of their files.
import * as ide from '../ide';
import { pathToUri, toRange } from './convert';
import type { FleetImpactWire, ImpactCauseWire } from './impactProtocol';

export interface ImpactHost {
  fleet(): ide.Fleet | undefined;
  /** `fluxFleet.impact.baseline`: a revision (`HEAD`, a branch, tag or commit); empty: no comparison. */
  baseline(): string;
  /** The impact changed: tell the client. */
  changed(impact: FleetImpactWire): void;
  /** The prune-deletes findings changed: publish the diagnostics again. */
  findingsChanged(): void;
  error(message: string): void;
  log(message: string): void;
  /** The server's line of turns for background work (core/steps.ts sharedTurns): requests are let in between units. */
  turn(): Promise<void>;
}

/** A pause in typing: the diagnostics go first (200 ms), then the impact. */
const IMPACT_DELAY_MS = 500;

interface Computed {
  fleet: ide.Fleet;
  version: number;
  rev: string;
  /** Bumped when `.git` changes: the same text then compares with another commit. */
  generation: number;
  wire: FleetImpactWire;
  findings: Map<string, ide.Finding[]>;
}

export function impactWork(host: ImpactHost) {
  let timer: NodeJS.Timeout | undefined;
  let latest: Computed | undefined;
  let running: { fleet: ide.Fleet; version: number; rev: string; generation: number; result: Promise<Computed> } | undefined;
  let generation = 0;
  /** The last impact sent to the client, without its version (a new version with the same impact is no change). */
  let sent: string | undefined;
  let stopped = false;
  /** Whether the last computation told had prune-deletes findings (their files must be published again when they go). */
  let told = false;

  const isCurrent = (c: { fleet: ide.Fleet; version: number; rev: string; generation: number } | undefined, f: ide.Fleet | undefined): boolean =>
    !!c && !!f && c.fleet === f && c.version === f.version && c.rev === host.baseline() && c.generation === generation;

  /** The impact of the fleet as it is now, computed once per version and baseline; cancelled by a newer edit or `token`. */
  function compute(token?: ide.CancellationToken): Promise<Computed> {
    const f = host.fleet();
    if (!f) return Promise.reject(new Error('the fleet is not loaded yet'));
    if (isCurrent(latest, f)) return Promise.resolve(latest!);
    if (isCurrent(running, f)) return running!.result;
    const version = f.version;
    const rev = host.baseline();
    const gen = generation;
    const superseded = () => stopped || host.fleet() !== f || f.version !== version || host.baseline() !== rev || generation !== gen;
    const started = Date.now();
    const result = (rev ? ide.impact(f, { rev }, ide.either(token, superseded), host.turn) : Promise.resolve(ide.noImpact())).then((impact) => {
      if (superseded()) throw new ide.Cancelled();
      const computed: Computed = { fleet: f, version, rev, generation: gen, wire: toWire(f, impact, version, !!rev), findings: byFile(ide.pruneDeleteFindings(impact)) };
      if (rev) host.log(`flux-fleet: impact against ${impact.baseline.label} in ${Date.now() - started} ms (${impact.totals.contexts} contexts, ${impact.totals.objects} objects, ${impact.totals.deletions} deletions)`);
      latest = computed;
      return computed;
    });
    running = { fleet: f, version, rev, generation: gen, result };
    const clear = () => {
      if (running?.result === result) running = undefined;
    };
    result.then(clear, clear);
    return result;
  }

  async function computeAndTell(): Promise<void> {
    try {
      const c = await compute();
      const json = JSON.stringify({ ...c.wire, version: 0 });
      if (json !== sent) {
        sent = json;
        host.changed(c.wire);
      }
      // The diagnostics published meanwhile (for a newer version) left these out: publish whenever there are any.
      if (c.findings.size || told) host.findingsChanged();
      told = c.findings.size > 0;
    } catch (e) {
      if (e instanceof ide.Cancelled) return;
      host.error(`flux-fleet: impact failed: ${String((e as Error)?.stack ?? e)}`);
    }
  }

  return {
    /** After an edit, a change on disk, a new baseline: the impact again once typing pauses. */
    schedule(delay = IMPACT_DELAY_MS): void {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void computeAndTell(), delay);
    },
    /** `.git` changed (a commit, a checkout): the same fleet version compares with another commit now. */
    baselineMoved(): void {
      generation++;
      this.schedule();
    },
    /** `fluxFleet/impact`: the current impact (waits for the computation of this version). */
    async current(token: ide.CancellationToken): Promise<FleetImpactWire> {
      return (await compute(token)).wire;
    },
    /** `fluxFleet/renderedPair`: one context's rendered output at the baseline and now. */
    renderedPair(key: string): Promise<{ base?: string; work?: string }> {
      const f = host.fleet();
      const rev = host.baseline();
      if (!f || !rev) return Promise.resolve({});
      return ide.renderedPair(f, { rev }, key);
    },
    /** The prune-deletes findings of this fleet version, by file (none while a newer version is being computed). */
    findings(f: ide.Fleet): Map<string, ide.Finding[]> {
      return latest && latest.fleet === f && latest.version === f.version ? latest.findings : new Map();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

function byFile(findings: ide.Finding[]): Map<string, ide.Finding[]> {
  const out = new Map<string, ide.Finding[]>();
  for (const x of findings) out.set(x.file, [...(out.get(x.file) ?? []), x]);
  return out;
}

function toWire(f: ide.Fleet, impact: ide.FleetImpact, version: number, enabled: boolean): FleetImpactWire {
  const view = ide.impactView(impact, (p): Omit<ImpactCauseWire, 'layer' | 'baseline'> => ({ uri: pathToUri(p.file), ...(p.baseline || !p.span ? {} : { range: toRange(f, p.file, p.span) }) }));
  const cause = (c: ide.CauseView<Omit<ImpactCauseWire, 'layer' | 'baseline'>> | undefined): ImpactCauseWire | undefined => c && { ...c.place, layer: c.layer, baseline: c.baseline };
  const danger = (d: ide.DangerView<Omit<ImpactCauseWire, 'layer' | 'baseline'>>) => ({ ...d, at: cause(d.at) });
  return {
    version,
    enabled,
    baseline: { label: view.baseline.label, repos: view.baseline.repos.map((r) => ({ ...r, root: pathToUri(r.root) })) },
    changedFiles: view.changedFiles.map((c) => ({ uri: pathToUri(c.file), status: c.status })),
    contexts: view.contexts.map((c) => ({
      ...c,
      objects: c.objects.map((o) => ({ ...o, fields: o.fields.map((x) => ({ ...x, cause: cause(x.cause) })), origin: cause(o.origin) })),
      dangers: c.dangers.map(danger),
    })),
    dangers: view.dangers.map(danger),
    totals: view.totals,
  };
}
