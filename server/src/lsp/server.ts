// The language server: LSP handlers over the IDE facade (ide/), and the scheduler of background work. Nothing runs
// at import time: `startServer(connection)` wires a connection (stdio in server.ts, streams in tests).
import {
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  LSPErrorCodes,
  ResponseError,
  type Connection,
  type CancellationToken as LspToken,
  type InitializeParams,
  type InitializeResult,
  type CodeAction,
  type CompletionItem,
  type CompletionItemKind,
  type WorkspaceEdit,
  type DocumentSymbol,
  type SymbolKind,
  type Location as LspLocation,
  type LocationLink,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as ide from '../ide';
import { watchRoots } from './fallbackWatcher';
import { pathToUri, toLocation, toOffset, toRange, toSpan, uriToPath } from './convert';
import { scheduler } from './scheduler';
import { rangeIn } from './edits';
import { impactWork } from './impactWork';
import { planToWorkspaceEdit } from './workspaceEdit';
import { ADD_APP_REQUEST, ADD_APP_REQUIRED_REQUEST, ADD_CHOICES_REQUEST, ADD_TENANT_REQUEST, type AddAppParams, type AddAppRequiredParams, type AddTenantParams, type RequiredValue } from './addProtocol';
import { IMPACT_CHANGED, IMPACT_REQUEST, RENDERED_PAIR_REQUEST, type RenderedPairParams } from './impactProtocol';
import { FLEET_STATUS_REQUEST, fleetStatus } from './fleetStatus';
import { fleetViewRequests } from './fleetViewRequests';

/** What a commit or checkout changes in `.git`: the change impact's baseline (a revision) moves with it. */
const GIT_REFS = [{ globPattern: '**/.git/HEAD' }, { globPattern: '**/.git/refs/**' }, { globPattern: '**/.git/packed-refs' }];

/** A client command (VS Code's): pick the local folder of a repository, then run ADD_MAPPING with it. */
const CHOOSE_FOLDER = 'fluxFleet.chooseRepositoryFolder';
/** Server commands: open a file at a placeholder a quick-fix wrote; write a mapping to the folder the user chose. */
const REVEAL_PLACEHOLDER = 'fluxFleet.revealPlaceholder';
const ADD_MAPPING = 'fluxFleet.addMapping';

const COMPLETION_KIND: Record<ide.CompletionItem['kind'], CompletionItemKind> = { property: 10, value: 12, enum: 20, reference: 18, folder: 19, file: 17, variable: 6, snippet: 15 };

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let fleet: ide.Fleet | undefined;
  /** Requests wait for the first index: an early "go to definition" must not get an empty answer. */
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let roots: string[] = [];
  const client = { watchRegistration: false, configuration: false, workspaceFolders: false, configurationRegistration: false, snippets: false, definitionLinks: false, vscode: false, redHatYaml: false, commands: new Set<string>() };
  /** `fluxFleet.schemaValidation`: `auto` is off when the client says Red Hat's YAML extension validates already. */
  let schemaValidation: 'auto' | 'on' | 'off' = 'auto';
  let strictSubstitution = true;
  /** `fluxFleet.logLevel`: `debug` logs every background evaluation with its time; `info` only when its result changes. */
  let logLevel: 'info' | 'debug' = 'info';
  let repositories: Record<string, string> = {};
  /** VS Code's workspace trust: untrusted, no mapping leaves the workspace folders (see MappingTrust). */
  let workspaceTrusted = true;
  const schemaOn = () => schemaValidation === 'on' || (schemaValidation === 'auto' && !client.redHatYaml);
  let pinnedContext: string | undefined;
  /** `fluxFleet.impact.baseline`: the revision the change impact compares with; empty: none. */
  let impactBaseline = 'HEAD';
  let stopFallbackWatch: (() => void) | undefined;
  /** The "no Flux configuration here" message is shown once per session, not on every reload. */
  let toldNoFlux = false;

  /** The initialization option `progressAfterMs`: how long background work runs before its progress shows. */
  let progressAfterMs: number | undefined;
  const status = fleetStatus(connection, { counts: () => ({ repositories: fleet?.repositories.length ?? 0, files: fleet?.facts.size ?? 0 }), progressAfterMs: () => progressAfterMs });

  /** One line of turns for the background work (evaluation, publishing, change impact): a request waits one unit of it. */
  const turn = ide.sharedTurns();
  const work = scheduler({
    turn,
    fleet: () => fleet,
    openFiles: () => documents.all().map((d) => uriToPath(d.uri)).filter((p): p is string => !!p),
    options: () => ({ strictSubstitution, schema: schemaOn() }),
    send: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    moreFindings: (f) => impact.findings(f),
    log: (m) => connection.console.info(m),
    debug: () => logLevel === 'debug',
    error: (m) => connection.console.error(m),
    progress: status,
  });

  const impact = impactWork({
    turn,
    fleet: () => fleet,
    baseline: () => impactBaseline,
    changed: (wire) => void connection.sendNotification(IMPACT_CHANGED, wire),
    findingsChanged: () => work.publishAll(),
    log: (m) => connection.console.info(m),
    error: (m) => connection.console.error(m),
  });

  /** Something in the fleet changed: the diagnostics, then the impact, once typing pauses. */
  function afterChange(): void {
    work.schedulePublish();
    impact.schedule();
    fleetChanged();
  }

  // The client's read-only views (rendered output, effective values) ask again when the fleet changed: told once
  // typing pauses, not on every keystroke.
  let fleetChangedTimer: ReturnType<typeof setTimeout> | undefined;
  function fleetChanged(): void {
    if (fleetChangedTimer) clearTimeout(fleetChangedTimer);
    fleetChangedTimer = setTimeout(() => {
      fleetChangedTimer = undefined;
      void connection.sendNotification('fluxFleet/fleetChanged', { version: fleet?.version });
    }, 250);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p) ?? [];
    const rootPath = params.rootUri ? uriToPath(params.rootUri) : undefined;
    roots = folders.length ? folders : rootPath ? [rootPath] : [];
    client.watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    client.configuration = !!params.capabilities.workspace?.configuration;
    client.workspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
    client.configurationRegistration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    client.snippets = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
    client.definitionLinks = !!params.capabilities.textDocument?.definition?.linkSupport;
    client.vscode = /code/i.test(params.clientInfo?.name ?? '');
    client.redHatYaml = !!(params.initializationOptions as { redHatYaml?: boolean } | undefined)?.redHatYaml;
    // Commands the client runs itself (VS Code: a folder picker); the server offers them only when they are there.
    const commands = (params.initializationOptions as { clientCommands?: unknown } | undefined)?.clientCommands;
    client.commands = new Set(Array.isArray(commands) ? commands.filter((c): c is string => typeof c === 'string') : []);
    // A client without workspace trust (Neovim…) does not say: the user's settings are theirs.
    workspaceTrusted = (params.initializationOptions as { workspaceTrusted?: boolean } | undefined)?.workspaceTrusted !== false;
    // Clients without workspace/configuration (or before it answers) may say the baseline here.
    const initialBaseline = (params.initializationOptions as { impact?: { baseline?: unknown } } | undefined)?.impact?.baseline;
    if (typeof initialBaseline === 'string') impactBaseline = initialBaseline.trim();
    const after = (params.initializationOptions as { progressAfterMs?: unknown } | undefined)?.progressAfterMs;
    if (typeof after === 'number' && after >= 0) progressAfterMs = after;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        hoverProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        workspaceSymbolProvider: true,
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        executeCommandProvider: { commands: [REVEAL_PLACEHOLDER, ADD_MAPPING] },
        completionProvider: { triggerCharacters: [':', ' ', '/', '{', '$', '.'], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'flux-fleet' },
    };
  });

  /** Reads the settings; true when the mappings changed (the fleet must be read again). */
  async function readSettings(): Promise<boolean> {
    if (!client.configuration) return false;
    try {
      const cfg = await connection.workspace.getConfiguration('fluxFleet');
      strictSubstitution = cfg?.strictSubstitution !== false;
      logLevel = cfg?.logLevel === 'debug' ? 'debug' : 'info';
      schemaValidation = cfg?.schemaValidation === 'on' || cfg?.schemaValidation === 'off' ? cfg.schemaValidation : 'auto';
      // Unset (a client that answers null for unknown settings): keep the initialization option or the default.
      if (typeof cfg?.impact?.baseline === 'string') impactBaseline = cfg.impact.baseline.trim();
      const next = (cfg?.repositories ?? {}) as Record<string, string>;
      const changed = JSON.stringify(next) !== JSON.stringify(repositories);
      repositories = next;
      return changed;
    } catch {
      return false;
    }
  }

  async function loadFleet(): Promise<void> {
    const started = Date.now();
    await readSettings();
    // The open files are indexed first: what they alone decide is published before the rest is indexed.
    const open = new Map<string, string>();
    for (const doc of documents.all()) {
      const p = uriToPath(doc.uri);
      if (p) open.set(p, doc.getText());
    }
    const publishOpen = (fl: ide.Fleet) => {
      for (const p of open.keys()) work.publishEarly(fl, p);
    };
    const f = await status.indexing(roots.length, () =>
      ide.openFleetFirst(roots, ide.settingsMappings(repositories, roots[0] ?? process.cwd()), workspaceTrusted ? 'settings' : 'none', { texts: open, indexed: publishOpen }),
    );
    for (const m of f.layout.refused) connection.console.warn(`flux-fleet: the setting fluxFleet.repositories maps ${m.raw} outside the workspace folders; it is followed only in a trusted workspace.`);
    for (const doc of documents.all()) {
      const p = uriToPath(doc.uri);
      if (p) f.setOverlay(p, doc.getText());
    }
    fleet = f;
    markReady();
    status.changed();
    connection.console.info(`flux-fleet: ${f.repositories.length} repositories, ${f.facts.size} YAML files indexed in ${Date.now() - started} ms`);
    if (!toldNoFlux && roots.length && !ide.hasFluxConfiguration(f)) {
      toldNoFlux = true;
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: ide.noFluxConfigurationMessage(roots) });
    }
    // The open files first: their diagnostics are what the user waits for; the whole fleet's follow.
    for (const doc of documents.all()) {
      const p = uriToPath(doc.uri);
      if (p) work.publishFile(p);
    }
    work.publishAll();
    impact.schedule(0);
    fleetChanged();
    void work.warm(f);
  }

  connection.onInitialized(async () => {
    if (client.watchRegistration) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/.sourceignore' }, { globPattern: '**/.flux-fleet.yaml' }, { globPattern: '**/Kustomization' }, { globPattern: '**/*/' }, ...GIT_REFS],
      });
    }
    if (client.configurationRegistration) await connection.client.register(DidChangeConfigurationNotification.type, undefined);
    if (!client.watchRegistration) {
      stopFallbackWatch = watchRoots(roots, onDiskChange, (dir) => {
        if (fleet) ide.impactDiskChanged(fleet, dir);
        fleet?.reconcileFolder(dir);
        afterChange();
      });
    }
    if (client.workspaceFolders) {
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
  connection.onDidChangeConfiguration(async () => {
    const schemaBefore = schemaValidation;
    const baselineBefore = impactBaseline;
    if (await readSettings()) void loadFleet();
    else if (schemaValidation !== schemaBefore) work.publishAll();
    if (impactBaseline !== baselineBefore) impact.schedule(0);
  });

  documents.onDidChangeContent((e) => {
    const p = uriToPath(e.document.uri);
    if (!fleet || !p) return;
    fleet.setOverlay(p, e.document.getText());
    work.publishFile(p);
    afterChange();
  });
  documents.onDidClose((e) => {
    const p = uriToPath(e.document.uri);
    if (!fleet || !p) return;
    fleet.clearOverlay(p);
    afterChange();
  });
  documents.onDidOpen(() => work.openedFile());

  function onDiskChange(path: string, deleted: boolean): void {
    if (!fleet) return;
    // A commit, checkout or fetch moves what the baseline names: the impact again (the fleet itself is unchanged).
    if (/\/\.git(\/|$)/.test(path)) {
      impact.baselineMoved();
      return;
    }
    ide.impactDiskChanged(fleet, path);
    if (fleet.overlays.has(path) && !deleted) return;
    if (deleted) fleet.fileDeleted(path);
    else fleet.fileChanged(path);
    afterChange();
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
      ide.impactDiskChanged(fleet, p);
      fleet.fileChanged(p);
      afterChange();
    }
  });

  connection.onShutdown(() => {
    if (fleetChangedTimer) clearTimeout(fleetChangedTimer);
    stopFallbackWatch?.();
    work.stop();
    impact.stop();
  });

  /**
   * Every request: after the first index, cancelled by the client or by an edit that came after it began, and
   * isolated (an exception answers this request with an error, logged once with the file; the server goes on).
   */
  async function answer<T>(what: string, uri: string | undefined, fallback: T, token: LspToken, f: (fl: ide.Fleet, file: string, cancel: ide.CancellationToken) => T): Promise<T> {
    await ready;
    const fl = fleet;
    const file = uri === undefined ? '' : uriToPath(uri);
    // A document that is not a file (untitled, a diff view, an output channel) has nothing of ours to answer.
    if (!fl || file === undefined) return fallback;
    const version = fl.version;
    const cancel = ide.either(token, () => fleet !== fl || fl.version !== version);
    if (cancel.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    try {
      return f(fl, file, cancel);
    } catch (e) {
      if (e instanceof ide.Cancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      if (e instanceof ResponseError) throw e; // an answer the feature chose (a refused rename's reason), not a failure
      connection.console.error(`flux-fleet: ${what} failed${file ? ` in ${file}` : ''}: ${String((e as Error)?.stack ?? e)}`);
      throw new ResponseError(LSPErrorCodes.RequestFailed, `flux-fleet: ${what} failed: ${String((e as Error)?.message ?? e)}`);
    }
  }

  connection.onDefinition((params, token) =>
    answer<LspLocation[] | LocationLink[]>('definition', params.textDocument.uri, [], token, (fl, file) => {
      const { origin, targets } = ide.definitionLinks(fl, file, toOffset(fl, file, params.position));
      if (!client.definitionLinks || !origin) return targets.map((l) => toLocation(fl, l));
      const originSelectionRange = toRange(fl, file, origin);
      return targets.map((l) => {
        const { uri, range } = toLocation(fl, l);
        return { originSelectionRange, targetUri: uri, targetRange: range, targetSelectionRange: range };
      });
    }),
  );

  connection.onReferences((params, token) =>
    answer('references', params.textDocument.uri, [], token, (fl, file) => ide.references(fl, file, toOffset(fl, file, params.position), params.context.includeDeclaration).map((l) => toLocation(fl, l))),
  );

  connection.onHover((params, token) =>
    answer('hover', params.textDocument.uri, null, token, (fl, file, cancel) => {
      const h = ide.hover(fl, file, toOffset(fl, file, params.position), { pinnedContext, token: cancel });
      if (!h) return null;
      // Folded effective values link to the whole answer: a client command (VS Code) opening the effective-values document.
      const showAll = h.folded && client.vscode ? `\n\n[Show all effective values](command:fluxFleet.showEffectiveValues?${encodeURIComponent(JSON.stringify([params.textDocument.uri, params.position]))})` : '';
      return { contents: { kind: 'markdown' as const, value: h.markdown + showAll }, range: toRange(fl, file, h.span) };
    }),
  );

  // The object under the cursor as rendered, or with every value's origin: read-only documents the client asks for
  // again on fluxFleet/fleetChanged. `object` (from an earlier answer) keeps the view on that object as lines move.
  type ObjectViewParams = { textDocument: { uri: string }; position: { line: number; character: number }; object?: ide.ObjectHint };
  connection.onRequest('fluxFleet/renderedOutput', (params: ObjectViewParams, token: LspToken) =>
    answer('rendered output', params.textDocument.uri, null, token, (fl, file) => ide.renderedOutput(fl, file, toOffset(fl, file, params.position), { pinnedContext, object: params.object }) ?? null),
  );
  connection.onRequest('fluxFleet/objectValues', (params: ObjectViewParams, token: LspToken) =>
    answer('effective values', params.textDocument.uri, null, token, (fl, file) => ide.objectEffectiveValues(fl, file, toOffset(fl, file, params.position), { pinnedContext, object: params.object }) ?? null),
  );

  // The effective-values document: every value at a position, in every context (or the pinned one), unfolded.
  connection.onRequest('fluxFleet/effectiveValues', (params: { textDocument: { uri: string }; position: { line: number; character: number } }, token: LspToken) =>
    answer('effective values', params.textDocument.uri, null, token, (fl, file) => ide.effectiveValuesDocument(fl, file, toOffset(fl, file, params.position), { pinnedContext }) ?? null),
  );

  connection.onDocumentLinks((params, token) =>
    answer('document links', params.textDocument.uri, [], token, (fl, file) => ide.documentLinks(fl, file).map((l) => ({ range: toRange(fl, file, l.span), target: pathToUri(l.target), tooltip: l.tooltip }))),
  );

  connection.onCodeLens((params, token) =>
    answer('code lens', params.textDocument.uri, [], token, (fl, file) => {
      const lens = ide.deployLens(fl, file);
      if (!lens) return [];
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      // `fluxFleet.showDeployChains` is a client command (VS Code); other editors show the title.
      return [{ range, command: { title: lens.title, command: 'fluxFleet.showDeployChains', arguments: [params.textDocument.uri, lens.locations.map((l) => toLocation(fl, l)), lens.chains.map((c) => ({ label: c.label, location: toLocation(fl, c.location) }))] } }];
    }),
  );

  const SYMBOL_KIND: Record<ide.DocumentSymbol['kind'], SymbolKind> = { object: 5 /* Class */, kustomization: 2 /* Module */, field: 7 /* Property */, path: 1 /* File */, generated: 5 };
  const toSymbol = (fl: ide.Fleet, file: string, s: ide.DocumentSymbol): DocumentSymbol => ({
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: toRange(fl, file, s.span),
    selectionRange: toRange(fl, file, s.selectionSpan),
    children: s.children.map((c) => toSymbol(fl, file, c)),
  });
  connection.onDocumentSymbol((params, token) => answer('document symbols', params.textDocument.uri, [], token, (fl, file) => ide.documentSymbols(fl, file).map((s) => toSymbol(fl, file, s))));

  connection.onWorkspaceSymbol((params, token) =>
    answer('workspace symbols', undefined, [], token, (fl) =>
      ide.workspaceSymbols(fl, params.query).map((o) => ({ name: o.name, kind: 5 /* Class */, containerName: o.kind, location: toLocation(fl, { file: o.owner.file, span: o.nameSpan }) })),
    ),
  );

  connection.onCodeAction((params, token) =>
    answer('code actions', params.textDocument.uri, [], token, (fl, file) => {
      const out: CodeAction[] = [];
      for (const d of params.context.diagnostics) {
        if (d.source !== 'flux-fleet' || typeof d.code !== 'string') continue;
        for (const a of ide.quickFixes(fl, file, { code: d.code, span: toSpan(fl, file, d.range), data: d.data })) {
          // A folder only the user knows: VS Code asks with its folder picker (a client command), and writes nothing before.
          if (a.choose && client.commands.has(CHOOSE_FOLDER)) {
            const args = [a.choose.key, pathToUri(a.choose.configFile), a.choose.candidates.map(pathToUri)];
            out.push({ title: a.title, kind: 'quickfix', diagnostics: [d], command: { title: a.title, command: CHOOSE_FOLDER, arguments: args } });
            continue;
          }
          const edit: WorkspaceEdit = {
            documentChanges: [
              ...a.createFiles.map((f) => ({ kind: 'create' as const, uri: pathToUri(f) })),
              ...groupEdits(fl, a.edits),
              ...a.deleteFiles.map((f) => ({ kind: 'delete' as const, uri: pathToUri(f), options: { ignoreIfNotExists: true } })),
            ],
          };
          // Elsewhere the placeholder is written and the file opened at it: the user sees what to fill in.
          const command = a.choose ? { title: 'Show the placeholder', command: REVEAL_PLACEHOLDER, arguments: [pathToUri(a.choose.configFile), a.choose.placeholder] } : undefined;
          out.push({ title: a.title, kind: 'quickfix', diagnostics: [d], isPreferred: a.preferred, edit, ...(command ? { command } : {}) });
        }
      }
      return out;
    }),
  );

  connection.onCompletion((params, token) =>
    answer('completion', params.textDocument.uri, null, token, (fl, file) => ({
      isIncomplete: false,
      items: ide.completion(fl, file, toOffset(fl, file, params.position), params.context?.triggerCharacter).map((i): CompletionItem => {
        const text = i.insertText ?? i.label;
        return {
          label: i.label,
          kind: COMPLETION_KIND[i.kind],
          detail: i.detail,
          documentation: i.documentation ? { kind: 'markdown', value: i.documentation } : undefined,
          sortText: i.sortText,
          filterText: i.filterText,
          insertTextFormat: i.snippet && client.snippets ? 2 : 1,
          insertTextMode: 1, // as is: multi-line insertions carry their own indentation
          textEdit: { range: toRange(fl, file, i.span), newText: i.snippet && !client.snippets ? ide.snippetToPlainText(text) : text },
          additionalTextEdits: i.additionalEdits?.map((e) => ({ range: toRange(fl, file, e.span), newText: e.newText })),
          command: i.retrigger && client.vscode ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
        };
      }),
    })),
  );

  // Rename: refused renames answer with an error the editor shows (the reason), never a partial edit.
  connection.onPrepareRename((params, token) =>
    answer('rename', params.textDocument.uri, null, token, (fl, file, cancel) => {
      const a = ide.prepareRename(fl, file, toOffset(fl, file, params.position), cancel);
      if (!a) return null;
      if ('refused' in a) throw new ResponseError(LSPErrorCodes.RequestFailed, a.refused);
      return { range: toRange(fl, file, a.span), placeholder: a.placeholder };
    }),
  );

  connection.onRenameRequest((params, token) =>
    answer('rename', params.textDocument.uri, null, token, (fl, file, cancel) => {
      const a = ide.rename(fl, file, toOffset(fl, file, params.position), params.newName, cancel);
      if (!a) return null;
      if ('refused' in a) throw new ResponseError(LSPErrorCodes.RequestFailed, a.refused);
      return { documentChanges: groupEdits(fl, a.edits) };
    }),
  );

  // Move (a layout migration): the plan as one WorkspaceEdit the client previews, or an error with the reason.
  connection.onRequest('fluxFleet/move', (params: { from: string; to: string }, token: LspToken) =>
    answer('move', undefined, null, token, (fl, _file, cancel) => {
      const from = uriToPath(params.from);
      const to = uriToPath(params.to);
      if (!from || !to) throw new ResponseError(LSPErrorCodes.RequestFailed, 'Move: from and to must be file URIs');
      const a = ide.move(fl, from, to, { token: cancel });
      if ('refused' in a) throw new ResponseError(LSPErrorCodes.RequestFailed, a.refused);
      return planToWorkspaceEdit(fl, a, documents);
    }),
  );

  // Add tenant / add app: one WorkspaceEdit the editor previews before writing, or the refusal as the error.
  connection.onRequest(ADD_TENANT_REQUEST, (p: AddTenantParams, token: LspToken) =>
    answer('add tenant', undefined, null, token, (fl, _file, cancel) => {
      const folder = uriToPath(p?.folderUri ?? '');
      if (!p?.name || !p.repoUrl || !folder) throw new ResponseError(LSPErrorCodes.RequestFailed, 'flux-fleet: addTenant needs { name, repoUrl, folderUri, clusters }');
      const a = ide.addTenantPlan(fl, { name: p.name, repoUrl: p.repoUrl, folder, clusters: p.clusters ?? [] }, cancel);
      if ('refused' in a) throw new ResponseError(LSPErrorCodes.RequestFailed, a.refused);
      return planToWorkspaceEdit(fl, a, documents);
    }),
  );
  connection.onRequest(ADD_APP_REQUEST, (p: AddAppParams, token: LspToken) =>
    answer('add app', undefined, null, token, (fl, _file, cancel) => {
      const base = uriToPath(p?.baseUri ?? '');
      const to = uriToPath(p?.toUri ?? '');
      if (!p?.name || !base || !to) throw new ResponseError(LSPErrorCodes.RequestFailed, 'flux-fleet: addApp needs { name, baseUri, toUri }');
      const a = ide.addAppPlan(fl, { name: p.name, base, to, values: p.values }, cancel);
      if ('refused' in a) throw new ResponseError(LSPErrorCodes.RequestFailed, a.refused);
      return planToWorkspaceEdit(fl, a, documents);
    }),
  );
  connection.onRequest(ADD_APP_REQUIRED_REQUEST, (p: AddAppRequiredParams, token: LspToken) =>
    answer('add app required values', undefined, [] as RequiredValue[], token, (fl) => {
      const base = uriToPath(p?.baseUri ?? '');
      return base ? ide.addAppRequired(fl, base) : [];
    }),
  );
  connection.onRequest(ADD_CHOICES_REQUEST, (_p: unknown, token: LspToken) => answer('add choices', undefined, { clusters: [], tenants: [] }, token, (fl) => ide.addTenantChoices(fl)));

  connection.onExecuteCommand(async (params) => {
    await ready;
    const fl = fleet;
    if (!fl) return null;
    const args = (params.arguments ?? []) as unknown[];
    if (params.command === REVEAL_PLACEHOLDER && typeof args[0] === 'string' && typeof args[1] === 'string') {
      const file = uriToPath(args[0]);
      if (!file) return null;
      const text = documents.get(args[0])?.getText() ?? fl.overlays.get(file) ?? (fl.fs.exists(file) ? fl.fs.readFile(file) ?? '' : '');
      const at = text.indexOf(args[1]);
      if (at < 0) return null;
      const lines = ide.computeLineStarts(text);
      const start = ide.offsetToLineCol(lines, at);
      const end = ide.offsetToLineCol(lines, at + args[1].length);
      await connection.window.showDocument({ uri: args[0], takeFocus: true, selection: { start, end } }).catch(() => undefined);
      return null;
    }
    if (params.command === ADD_MAPPING && typeof args[0] === 'string' && typeof args[1] === 'string' && typeof args[2] === 'string') {
      const configFile = uriToPath(args[1]);
      const folder = uriToPath(args[2]);
      if (!configFile || !folder) return null;
      const e = ide.mappingEdit(fl, configFile, args[0], folder);
      await connection.workspace.applyEdit({ label: `Map ${args[0]}`, edit: { documentChanges: [...e.createFiles.map((f) => ({ kind: 'create' as const, uri: pathToUri(f) })), ...groupEdits(fl, e.edits)] } });
      return null;
    }
    return null;
  });

  function groupEdits(fl: ide.Fleet, edits: ide.TextEdit[]) {
    const byFile = new Map<string, ide.TextEdit[]>();
    for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    return [...byFile].map(([file, es]) => {
      const open = documents.get(pathToUri(file));
      return {
        textDocument: { uri: pathToUri(file), version: open?.version ?? null },
        edits: es.map((e) => ({ range: rangeIn(fl, file, e.span, open), newText: e.newText })),
      };
    });
  }

  // The Fleet view: its tree and the clusters and tenants its filter offers (lsp/fleetViewRequests.ts); the status.
  fleetViewRequests(connection, answer);
  connection.onRequest(FLEET_STATUS_REQUEST, async () => {
    await ready;
    return status.status();
  });

  // Contexts for the client's "pin a context" picker; a pinned context narrows hovers to what is deployed there.
  connection.onRequest('fluxFleet/contexts', (_params: unknown, token: LspToken) => answer('contexts', undefined, [], token, (fl) => ide.contexts(fl).map((c) => ({ ...c, file: pathToUri(c.file) }))));
  connection.onNotification('fluxFleet/pinContext', (p: { id?: string }) => {
    pinnedContext = p?.id || undefined;
    fleetChanged(); // the views answer in the pinned context
  });

  // The change impact against the baseline (issue 15); paths are URIs, spans LSP ranges (lsp/impactProtocol.ts).
  connection.onRequest(IMPACT_REQUEST, async (_params: unknown, token: LspToken) => {
    await ready;
    return guarded('impact', () => impact.current(token));
  });
  connection.onRequest(RENDERED_PAIR_REQUEST, async (params: RenderedPairParams, _token: LspToken) => {
    await ready;
    if (typeof params?.key !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, 'flux-fleet: renderedPair needs { key }');
    return guarded('rendered pair', () => impact.renderedPair(params.key));
  });

  /** An async request: cancelled (by the client or a newer edit) → RequestCancelled; a failure is logged and answered. */
  async function guarded<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof ide.Cancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      connection.console.error(`flux-fleet: ${what} failed: ${String((e as Error)?.stack ?? e)}`);
      throw new ResponseError(LSPErrorCodes.RequestFailed, `flux-fleet: ${what} failed: ${String((e as Error)?.message ?? e)}`);
    }
  }

  documents.listen(connection);
  connection.listen();
}
