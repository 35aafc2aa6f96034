// LSP wiring only: every answer comes from the core (server/src/core) and the features (server/src/features).
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  type CodeAction,
  type CompletionItem,
  type CompletionItemKind,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { completion, snippetToPlainText, type CompletionItem as FleetCompletionItem } from './features/completion';
import { schemaDiagnostics, fleetSchemaDiagnostics, fleetDeployedSchemaDiagnostics, deployedSchemaDiagnostics } from './features/schemaDiagnostics';
import { deprecatedApiFindings, fleetDeprecatedApiFindings, deprecatedApiFixes } from './features/deprecatedApi';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Fleet } from './core/model';
import { NodeFileSystem } from './core/nodeFileSystem';
import { parseMappingKey, type SourceMapping } from './core/fleetConfig';
import { resolvePath } from './core/paths';
import { definition } from './features/definition';
import { documentLinks } from './features/documentLinks';
import { references } from './features/references';
import { deployLens } from './features/codeLens';
import { workspaceSymbols } from './features/symbols';
import { hover } from './features/hover';
import { effectiveValueHover } from './features/effectiveValues';
import { variableHover } from './features/variableHover';
import { allContexts, evaluatorOf } from './core/evaluate/contexts';
import { deployChains, rootKustomizations } from './core/deployChains';
import { contextsToEvaluate, evaluationFindings } from './core/evaluate/valueFindings';
import { locksFindings } from './core/locks/check';
import { contradictedLinkFindings, findingKey } from './core/evaluate/contradicted';
import { contextsWriting, lockCodeActions, lockHover } from './features/locks';
import type { Context } from './core/evaluate/contexts';
import type { Span } from './core/text';
import { withoutRepeats, type Finding } from './core/findings';
import { codeActionsFor } from './features/codeActions';
import { watchRoots } from './lsp/fallbackWatcher';
import { pathToUri, toDiagnostic, toLocation, toOffset, toRange, toSpan, uriToPath } from './lsp/convert';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let fleet: Fleet | undefined;
/** Requests wait for the first index: an early "go to definition" must not get an empty answer. */
let markReady: () => void = () => {};
const ready = new Promise<void>((resolve) => (markReady = resolve));
let roots: string[] = [];
let supportsWatchRegistration = false;
let supportsConfiguration = false;
let supportsWorkspaceFolders = false;
let supportsConfigurationRegistration = false;
let supportsSnippets = false;
let isVsCode = false;
/** `fluxFleet.schemaValidation`: `auto` is off when the client says Red Hat's YAML extension validates already. */
let schemaValidation: 'auto' | 'on' | 'off' = 'auto';
let redHatYaml = false;
/** VS Code's workspace trust: untrusted, no mapping leaves the workspace folders (see MappingTrust). */
let workspaceTrusted = true;
const schemaOn = () => schemaValidation === 'on' || (schemaValidation === 'auto' && !redHatYaml);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p) ?? [];
  const rootPath = params.rootUri ? uriToPath(params.rootUri) : undefined;
  roots = folders.length ? folders : rootPath ? [rootPath] : [];
  supportsWatchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  supportsConfiguration = !!params.capabilities.workspace?.configuration;
  supportsWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  supportsConfigurationRegistration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  supportsSnippets = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
  isVsCode = /code/i.test(params.clientInfo?.name ?? '');
  redHatYaml = !!(params.initializationOptions as { redHatYaml?: boolean } | undefined)?.redHatYaml;
  // A client without workspace trust (Neovim…) does not say: the user's settings are theirs.
  workspaceTrusted = (params.initializationOptions as { workspaceTrusted?: boolean } | undefined)?.workspaceTrusted !== false;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      definitionProvider: true,
      referencesProvider: true,
      hoverProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      workspaceSymbolProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      completionProvider: { triggerCharacters: [':', ' ', '/', '{', '$'], resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'flux-fleet' },
  };
});

async function settingsMappings(): Promise<SourceMapping[]> {
  if (!supportsConfiguration) return [];
  try {
    const cfg = await connection.workspace.getConfiguration('fluxFleet');
    const repos = (cfg?.repositories ?? {}) as Record<string, string>;
    strictSubstitution = cfg?.strictSubstitution !== false;
    schemaValidation = cfg?.schemaValidation === 'on' || cfg?.schemaValidation === 'off' ? cfg.schemaValidation : 'auto';
    const base = roots[0] ?? process.cwd();
    return Object.entries(repos).flatMap(([raw, folder]) => {
      const key = parseMappingKey(raw);
      return key ? [{ raw, key, folder: resolvePath(base, folder) }] : [];
    });
  } catch {
    return [];
  }
}

async function loadFleet(): Promise<void> {
  const started = Date.now();
  const extraMappings = await settingsMappings();
  lastMappings = JSON.stringify(extraMappings.map((m) => [m.raw, m.folder]));
  const f = new Fleet(new NodeFileSystem(), { roots, extraMappings, mappingTrust: workspaceTrusted ? 'settings' : 'none' });
  f.load();
  for (const m of f.layout.refused) connection.console.warn(`flux-fleet: the setting fluxFleet.repositories maps ${m.raw} outside the workspace folders; it is followed only in a trusted workspace.`);
  for (const doc of documents.all()) {
    const p = uriToPath(doc.uri);
    if (p) f.setOverlay(p, doc.getText());
  }
  fleet = f;
  markReady();
  connection.console.info(`flux-fleet: ${f.repositories.length} repositories, ${f.facts.size} YAML files indexed in ${Date.now() - started} ms`);
  publishDiagnostics();
  void warmContexts(f);
}

/** Contexts found ahead of the first question, at most this many (their skeletons are kept). */
const WARM_CONTEXTS = 5000;

/**
 * Finds every context once, in the background, a few at a time: the skeletons (and the kustomize builds of their
 * folders) that the first hover or completion in any file would otherwise make while the user waits. Stops when the
 * fleet changes (contexts outlive text edits, and are checked again lazily).
 */
async function warmContexts(f: Fleet): Promise<void> {
  const started = Date.now();
  const version = f.version;
  const ev = evaluatorOf(f);
  const queue = rootKustomizations(f).map((r) => ev.root(r)).filter((c): c is Context => !!c);
  let seen = 0;
  while (queue.length && seen < WARM_CONTEXTS) {
    const c = queue.shift()!;
    queue.push(...ev.childrenOf(c));
    if (++seen % 4 === 0 && !(await yieldTo(f, version))) return;
  }
  connection.console.info(`flux-fleet: found ${seen} contexts in ${Date.now() - started} ms (background)`);
}

connection.onInitialized(async () => {
  if (supportsWatchRegistration) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/.sourceignore' }, { globPattern: '**/.flux-fleet.yaml' }, { globPattern: '**/Kustomization' }, { globPattern: '**/*/' }],
    });
  }
  if (supportsConfigurationRegistration) await connection.client.register(DidChangeConfigurationNotification.type, undefined);
  if (!supportsWatchRegistration) {
    stopFallbackWatch = watchRoots(roots, onDiskChange, (dir) => {
      fleet?.reconcileFolder(dir);
      schedulePublish();
    });
  }
  if (supportsWorkspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
      roots = [...roots.filter((r) => !removed.has(r)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
      void loadFleet();
    });
  }
  await loadFleet();
});

connection.onNotification('fluxFleet/workspaceTrusted', () => {
  workspaceTrusted = true;
  void loadFleet();
});

// Any settings change arrives here; only a change of the mappings re-reads the fleet.
let lastMappings = '';
connection.onDidChangeConfiguration(async () => {
  const schemaBefore = schemaValidation;
  const key = JSON.stringify((await settingsMappings()).map((m) => [m.raw, m.folder]));
  if (key !== lastMappings) void loadFleet();
  else if (schemaValidation !== schemaBefore) publishDiagnostics();
});
// Diagnostics in two tiers: the edited file at once (re-resolved against the previous links, ~1 ms), the whole
// fleet when typing pauses (a full re-link). Only files whose diagnostics changed are sent.
const published = new Map<string, string>();
let publishTimer: NodeJS.Timeout | undefined;
const FULL_PUBLISH_DELAY_MS = 200;
function schedulePublish(): void {
  if (publishTimer) clearTimeout(publishTimer);
  publishTimer = setTimeout(publishDiagnostics, FULL_PUBLISH_DELAY_MS);
}
/** Schema and deprecated-api findings of one file (cached per indexed text: cheap on every keystroke). */
function schemaFindingsOf(f: Fleet, file: string): Finding[] {
  return [...(schemaOn() ? schemaDiagnostics(f, file) : []), ...deprecatedApiFindings(f, file)];
}

function publishFile(file: string): void {
  if (!fleet) return;
  const f = fleet;
  const uri = pathToUri(file);
  const linked = f.findingsOf(file).filter((x) => !evaluated?.contradicted.has(findingKey(x)));
  const diagnostics = withoutRepeats([...linked, ...schemaFindingsOf(f, file)]).map((x) => toDiagnostic(f, x));
  const json = JSON.stringify(diagnostics);
  if (published.get(uri) === json) return;
  if (diagnostics.length) published.set(uri, json);
  else published.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics });
}
// Findings of the evaluated builds (variables, overrides) are slower: computed after the link findings are out,
// when nothing changed for a moment, and merged into the next publication.
let evaluated: { version: number; byFile: Map<string, Finding[]>; contradicted: Set<string> } | undefined;
let evaluateTimer: NodeJS.Timeout | undefined;
let strictSubstitution = true;
const BACKGROUND_CONTEXTS = 300;
/** In a fleet too large to evaluate whole, opening a file brings its contexts' findings. */
let evaluationFollowsOpenFiles = false;
documents.onDidOpen(() => {
  if (!evaluationFollowsOpenFiles) return;
  evaluated = undefined;
  scheduleEvaluation();
});
function scheduleEvaluation(): void {
  if (evaluateTimer) clearTimeout(evaluateTimer);
  evaluateTimer = setTimeout(() => void evaluateInBackground(), 400);
}

/** Lets other requests in (hovers, completion) between context builds; false when the fleet changed meanwhile. */
async function yieldTo(f: Fleet, version: number): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  return f === fleet && f.version === version;
}

/** The fleet version an evaluation is running for (one at a time; a newer version starts its own). */
let evaluating: { fleet: Fleet; version: number } | undefined;

async function evaluateInBackground(): Promise<void> {
  if (!fleet || evaluated?.version === fleet.version) return;
  if (evaluating?.fleet === fleet && evaluating.version === fleet.version) return;
  const f = fleet;
  const version = f.version;
  evaluating = { fleet: f, version };
  try {
    await evaluate(f, version);
  } finally {
    if (evaluating?.fleet === f && evaluating.version === version) evaluating = undefined;
  }
}

async function evaluate(f: Fleet, version: number): Promise<void> {
  const started = Date.now();
  let findings: Finding[] = [];
  let contradicted = new Set<string>();
  let scope = 'every context';
  try {
    // Whole fleet when it is of a size to evaluate in the background; else the contexts of the open files.
    const all = contextsToEvaluate(f, { strictSubstitution, maxContexts: BACKGROUND_CONTEXTS });
    const files = documents.all().map((d) => uriToPath(d.uri)).filter((p): p is string => !!p);
    // The builds first, a few at a time, yielding in between (a hover meanwhile is answered): what follows then runs
    // on held builds. With open files only, the contexts along their deploy chains.
    const ev = evaluatorOf(f);
    const toBuild = all.capped ? [...new Set(files.flatMap((file) => ev.chainContexts(deployChains(f, file), BACKGROUND_CONTEXTS)))] : all.contexts;
    for (let i = 0; i < toBuild.length; i++) {
      void toBuild[i].build;
      if (i % 8 === 7 && !(await yieldTo(f, version))) return;
    }
    const contexts = all.capped ? contextsToEvaluate(f, { strictSubstitution, files, maxContexts: BACKGROUND_CONTEXTS }).contexts : all.contexts;
    contradicted = contradictedLinkFindings(f, contexts);
    const writing = new Map<string, Context>();
    if (all.capped) for (const file of files) for (const c of contextsWriting(f, file, BACKGROUND_CONTEXTS)) writing.set(c.key, c);
    if (!all.capped) findings = [...evaluationFindings(f, { strictSubstitution }, contexts), ...locksFindings(f, { contexts })];
    else {
      findings = evaluationFindings(f, { strictSubstitution }, contexts);
      // Locks: the contexts that write the open files (also those of the Flux Kustomizations they define).
      findings.push(...locksFindings(f, { contexts: [...writing.values()] }));
      scope = `the contexts of ${files.length} open files (the fleet has more than ${BACKGROUND_CONTEXTS} contexts)`;
      evaluationFollowsOpenFiles = true;
    }
    if (schemaOn()) {
      findings.push(...(all.capped ? files.flatMap((file) => deployedSchemaDiagnostics(f, file)) : fleetDeployedSchemaDiagnostics(f)));
    }
  } catch (e) {
    connection.console.error(`flux-fleet: evaluation failed: ${String((e as Error)?.stack ?? e)}`);
  }
  if (f !== fleet || f.version !== version) return;
  const byFile = new Map<string, Finding[]>();
  for (const x of findings) byFile.set(x.file, [...(byFile.get(x.file) ?? []), x]);
  evaluated = { version, byFile, contradicted };
  connection.console.info(`flux-fleet: evaluated ${scope} in ${Date.now() - started} ms (${findings.length} value findings)`);
  publishDiagnostics();
}

function publishDiagnostics(): void {
  if (!fleet) return;
  const f = fleet;
  const next = new Map<string, string>();
  const byFile = new Map(f.links.findingsByFile);
  // The linker's answers the evaluation contradicts are withdrawn (one truth: what Flux renders per context).
  if (evaluated?.version === f.version && evaluated.contradicted.size) {
    for (const [file, xs] of byFile) byFile.set(file, xs.filter((x) => !evaluated!.contradicted.has(findingKey(x))));
  }
  if (evaluated?.version === f.version) for (const [file, xs] of evaluated.byFile) byFile.set(file, [...(byFile.get(file) ?? []), ...xs]);
  for (const x of [...(schemaOn() ? fleetSchemaDiagnostics(f) : []), ...fleetDeprecatedApiFindings(f)]) byFile.set(x.file, [...(byFile.get(x.file) ?? []), x]);
  for (const [file, findings] of byFile) {
    const uri = pathToUri(file);
    const diagnostics = withoutRepeats(findings).map((x) => toDiagnostic(f, x));
    const json = JSON.stringify(diagnostics);
    next.set(uri, json);
    if (published.get(uri) !== json) void connection.sendDiagnostics({ uri, diagnostics });
  }
  for (const uri of published.keys()) if (!next.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  published.clear();
  for (const [k, v] of next) published.set(k, v);
  if (evaluated?.version !== f.version) scheduleEvaluation();
}

documents.onDidChangeContent((e) => {
  const p = uriToPath(e.document.uri);
  if (!fleet || !p) return;
  fleet.setOverlay(p, e.document.getText());
  publishFile(p);
  schedulePublish();
});
documents.onDidClose((e) => {
  const p = uriToPath(e.document.uri);
  if (!fleet || !p) return;
  fleet.clearOverlay(p);
  schedulePublish();
});

function onDiskChange(path: string, deleted: boolean): void {
  if (!fleet) return;
  if (fleet.overlays.has(path) && !deleted) return;
  if (deleted) fleet.fileDeleted(path);
  else fleet.fileChanged(path);
  schedulePublish();
}

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    const p = uriToPath(change.uri);
    if (p) onDiskChange(p, change.type === FileChangeType.Deleted);
  }
});

// A save makes the disk text the truth even where the client has no file watcher.
documents.onDidSave((e) => {
  const p = uriToPath(e.document.uri);
  if (p && fleet) {
    fleet.fileChanged(p);
    schedulePublish();
  }
});

let stopFallbackWatch: (() => void) | undefined;
connection.onShutdown(() => stopFallbackWatch?.());

const withFile = async <T>(uri: string, fallback: T, f: (fleet: Fleet, file: string) => T): Promise<T> => {
  await ready;
  const p = uriToPath(uri);
  if (!fleet || !p) return fallback;
  try {
    return f(fleet, p);
  } catch (e) {
    connection.console.error(`flux-fleet: ${String((e as Error)?.stack ?? e)}`);
    return fallback;
  }
};

connection.onDefinition((params) =>
  withFile(params.textDocument.uri, [], (fl, file) => definition(fl, file, toOffset(fl, file, params.position)).map((l) => toLocation(fl, l))),
);

connection.onReferences((params) =>
  withFile(params.textDocument.uri, [], (fl, file) =>
    references(fl, file, toOffset(fl, file, params.position), params.context.includeDeclaration).map((l) => toLocation(fl, l)),
  ),
);

connection.onHover((params) =>
  withFile(params.textDocument.uri, null, (fl, file) => {
    const offset = toOffset(fl, file, params.position);
    const h = hover(fl, file, offset) ?? variableHover(fl, file, offset) ?? joinHovers(lockHover(fl, file, offset), effectiveValueHover(fl, file, offset, pinnedContext));
    return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: toRange(fl, file, h.span) } : null;
  }),
);

connection.onDocumentLinks((params) =>
  withFile(params.textDocument.uri, [], (fl, file) =>
    documentLinks(fl, file).map((l) => ({ range: toRange(fl, file, l.span), target: pathToUri(l.target), tooltip: l.tooltip })),
  ),
);

connection.onCodeLens((params) =>
  withFile(params.textDocument.uri, [], (fl, file) => {
    const lens = deployLens(fl, file);
    if (!lens) return [];
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    // `fluxFleet.showDeployChains` is a client command (VS Code); other editors show the title.
    return [{ range, command: { title: lens.title, command: 'fluxFleet.showDeployChains', arguments: [params.textDocument.uri, lens.locations.map((l) => toLocation(fl, l)), lens.chains.map((c) => ({ label: c.label, location: toLocation(fl, c.location) }))] } }];
  }),
);

connection.onWorkspaceSymbol(async (params) => {
  await ready;
  if (!fleet) return [];
  const fl = fleet;
  return workspaceSymbols(fl, params.query).map((o) => ({
    name: o.name,
    kind: 5 /* Class */,
    containerName: o.kind,
    location: toLocation(fl, { file: o.owner.file, span: o.nameSpan }),
  }));
});

connection.onCodeAction((params) =>
  withFile(params.textDocument.uri, [], (fl, file) => {
    const out: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      if (d.source === 'flux-fleet' && (d.code === 'locked-field' || d.code === 'redundant-override')) {
        for (const a of lockCodeActions(fl, { file, span: toSpan(fl, file, d.range), code: d.code })) {
          const edit: WorkspaceEdit = {
            documentChanges: [...groupEdits(fl, a.edits), ...a.deleteFiles.map((f) => ({ kind: 'delete' as const, uri: pathToUri(f), options: { ignoreIfNotExists: true } }))],
          };
          out.push({ title: a.title, kind: 'quickfix', diagnostics: [d], isPreferred: a.preferred, edit });
        }
        continue;
      }
      if (d.source === 'flux-fleet' && d.code === 'deprecated-api') {
        for (const a of deprecatedApiFixes(fl, file, toSpan(fl, file, d.range))) {
          out.push({ title: a.title, kind: 'quickfix', diagnostics: [d], isPreferred: a.preferred, edit: { documentChanges: groupEdits(fl, a.edits) } });
        }
        continue;
      }
      if (d.source !== 'flux-fleet' || !d.data) continue;
      const actions = codeActionsFor(fl, { file, span: toSpan(fl, file, d.range), code: d.code as never, data: d.data });
      for (const a of actions) {
        const edit: WorkspaceEdit = {
          documentChanges: [
            ...a.createFiles.map((f) => ({ kind: 'create' as const, uri: pathToUri(f) })),
            ...groupEdits(fl, a.edits),
          ],
        };
        out.push({ title: a.title, kind: 'quickfix', diagnostics: [d], isPreferred: a.preferred, edit });
      }
    }
    return out;
  }),
);

const COMPLETION_KIND: Record<FleetCompletionItem['kind'], CompletionItemKind> = { property: 10, value: 12, enum: 20, reference: 18, folder: 19, file: 17, variable: 6, snippet: 15 };

connection.onCompletion((params) =>
  withFile(params.textDocument.uri, null, (fl, file) => ({
    isIncomplete: false,
    items: completion(fl, file, toOffset(fl, file, params.position)).map((i): CompletionItem => {
      const text = i.insertText ?? i.label;
      return {
        label: i.label,
        kind: COMPLETION_KIND[i.kind],
        detail: i.detail,
        documentation: i.documentation ? { kind: 'markdown', value: i.documentation } : undefined,
        sortText: i.sortText,
        filterText: i.filterText,
        insertTextFormat: i.snippet && supportsSnippets ? 2 : 1,
        insertTextMode: 1, // as is: multi-line insertions carry their own indentation
        textEdit: { range: toRange(fl, file, i.span), newText: i.snippet && !supportsSnippets ? snippetToPlainText(text) : text },
        additionalTextEdits: i.additionalEdits?.map((e) => ({ range: toRange(fl, file, e.span), newText: e.newText })),
        command: i.retrigger && isVsCode ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
      };
    }),
  })),
);

/** A lock hover above the effective value, separated by a rule. */
function joinHovers(...hs: Array<{ span: Span; markdown: string } | undefined>): { span: Span; markdown: string } | undefined {
  const xs = hs.filter((h): h is { span: Span; markdown: string } => !!h);
  return xs.length ? { span: xs[0].span, markdown: xs.map((h) => h.markdown).join('\n\n---\n\n') } : undefined;
}

function groupEdits(fl: Fleet, edits: Array<{ file: string; span: { start: number; end: number }; newText: string }>) {
  const byFile = new Map<string, typeof edits>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return [...byFile].map(([file, es]) => {
    const open = documents.get(pathToUri(file));
    return {
      textDocument: { uri: pathToUri(file), version: open?.version ?? null },
      edits: es.map((e) => ({ range: rangeIn(fl, file, e.span, open), newText: e.newText })),
    };
  });
}

/** Ranges in files that are not indexed (new files, `.flux-fleet.yaml`) come from their current text. */
function rangeIn(fl: Fleet, file: string, span: { start: number; end: number }, open?: TextDocument) {
  if (open) return { start: open.positionAt(span.start), end: open.positionAt(span.end) };
  if (fl.facts.has(file)) return toRange(fl, file, span);
  const text = fl.fs.readFile(file) ?? '';
  const doc = TextDocument.create('file:///x', 'yaml', 0, text);
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

// Contexts for the client's "pin a context" picker; a pinned context narrows hovers to what is deployed there.
let pinnedContext: string | undefined;
connection.onRequest('fluxFleet/contexts', async () => {
  await ready;
  if (!fleet) return [];
  return allContexts(fleet, rootKustomizations(fleet)).map((c) => ({ id: c.id, name: c.names[c.names.length - 1], file: pathToUri(c.fact.owner.file) }));
});
connection.onNotification('fluxFleet/pinContext', (p: { id?: string }) => {
  pinnedContext = p?.id || undefined;
});

documents.listen(connection);
connection.listen();
