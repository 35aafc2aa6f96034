// Flux Fleet inside a real VS Code extension host, asserted through the `vscode` API only.
// The workspace is a copy of the fixtures (scripts/e2e/workspace.ts) opened as a multi-root workspace:
//   <tmp>/fleet/platform, <tmp>/fleet/tenant-a, <tmp>/broken/platform (their mapped neighbours are copied too).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'flux-fleet.flux-fleet';

/** Polls `probe` until it returns a value other than undefined/false; fails with `what` after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function folder(suffix: string): string {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.uri.fsPath.endsWith(path.sep + suffix));
  assert.ok(f, `workspace folder */${suffix} is not open; open: ${vscode.workspace.workspaceFolders?.map((w) => w.uri.fsPath).join(', ')}`);
  return f.uri.fsPath;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  if (d.code === undefined) return undefined;
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not found in ${doc.uri.fsPath}`);
  return doc.positionAt(at + delta);
}

function targetOf(l: vscode.Location | vscode.LocationLink): vscode.Uri {
  return 'targetUri' in l ? l.targetUri : l.uri;
}

const exec = <T>(command: string, ...args: unknown[]): Promise<T> => vscode.commands.executeCommand<T>(command, ...args) as Promise<T>;

/**
 * Reverts `doc` to its saved text (and waits until it is, and `saved` holds of its text). The revert is asked for
 * by URI, and again while the document stays dirty: on a loaded machine a command can land before the editor is
 * active, and then reverts nothing.
 */
async function revert(doc: vscode.TextDocument, saved: (text: string) => boolean = () => true): Promise<void> {
  let lastAsked = 0;
  await waitFor(`${path.basename(doc.uri.fsPath)} to be reverted`, async () => {
    if (doc.isDirty && Date.now() - lastAsked > 3000) {
      lastAsked = Date.now();
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
    }
    return !doc.isDirty && saved(doc.getText());
  });
}

suite('Flux Fleet in a real VS Code extension host', () => {
  let platform: string;
  let tenantA: string;
  let broken: string;
  let syncDoc: vscode.TextDocument;
  let deployPos: vscode.Position;

  suiteSetup(async function () {
    this.timeout(120_000);
    platform = folder(path.join('fleet', 'platform'));
    tenantA = folder(path.join('fleet', 'tenant-a'));
    broken = folder(path.join('broken', 'platform'));
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    await ext.activate();

    syncDoc = await vscode.workspace.openTextDocument(path.join(platform, 'tenants/tenant-a/sync.yaml'));
    await vscode.window.showTextDocument(syncDoc);
    assert.equal(syncDoc.languageId, 'yaml', 'the YAML language (built-in extension) is not available');
    deployPos = positionOf(syncDoc, './deploy', 3);
    // The server indexes the fleet once it is initialized: wait until it answers, not for a fixed time.
    await waitFor('the language server to resolve ./deploy', async () => {
      const locs = await exec<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', syncDoc.uri, deployPos);
      return locs?.length ? locs : undefined;
    }, 90_000);
  });

  test('the extension under test is the expected build', function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    const expected = process.env.FLUX_FLEET_EXPECT_EXTENSION_PATH;
    if (expected) assert.equal(path.resolve(ext.extensionPath), path.resolve(expected));
  });

  test('definition on a Flux spec.path crosses into the tenant repository', async () => {
    const locs = await exec<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', syncDoc.uri, deployPos);
    const target = path.join(tenantA, 'deploy/kustomization.yaml');
    assert.deepEqual(locs.map((l) => targetOf(l).fsPath), [target]);
    assert.equal(vscode.workspace.getWorkspaceFolder(targetOf(locs[0]))?.uri.fsPath, tenantA, 'the target is in the tenant-a workspace folder');
  });

  test('hover on the same path says where it leads', async () => {
    const hovers = await exec<vscode.Hover[]>('vscode.executeHoverProvider', syncDoc.uri, deployPos);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /tenant-a\/deploy\/kustomization\.yaml/, text);
    const covered = hovers.map((h) => h.range && syncDoc.getText(h.range)).filter(Boolean);
    assert.ok(covered.includes('./deploy'), `hover range covers ${JSON.stringify(covered)}`);
  });

  test('document links cover every path value of a kustomization', async () => {
    const file = path.join(platform, 'apps/base/kustomization.yaml');
    // The link command answers [] for a document that is not loaded: open it first, as an editor would.
    const doc = await vscode.workspace.openTextDocument(file);
    const links = await exec<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri, 100);
    // VS Code's own URL detector adds a link for the helmCharts repo (https://…): keep the file links.
    const targets = links
      .filter((l) => l.target?.scheme !== 'https')
      .map((l) => {
        assert.ok(l.target, `a link without a target at line ${l.range.start.line + 1}`);
        assert.equal(l.target.scheme, 'file');
        return path.relative(path.dirname(file), l.target.fsPath);
      });
    assert.deepEqual(targets.sort(), [
      'app.env', 'app.properties', 'chart-values.yaml', 'config.json', 'config/name-reference.yaml', 'crds/widget.yaml', 'deployment.yaml',
      'generators/extra-config.yaml', 'patches/json6902.yaml', 'patches/psm.yaml', 'patches/replicas.yaml', 'replacements/image.yaml', 'secret.txt', 'service.yaml', 'transformers/labels.yaml',
    ]);
  });

  test('diagnostics: path-not-found on the mistyped spec.path, none in the healthy fleet', async () => {
    const uri = vscode.Uri.file(path.join(broken, 'clusters/prod/path-not-found.yaml'));
    const diag = await waitFor('a path-not-found diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'path-not-found'));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(diag.range), './apps/prdo');
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diag.source, 'flux-fleet');
    const healthy = vscode.languages
      .getDiagnostics()
      .filter(([u]) => u.fsPath.startsWith(platform + path.sep) || u.fsPath.startsWith(tenantA + path.sep))
      .flatMap(([u, ds]) =>
        ds
          .filter((d) => d.source === 'flux-fleet' && d.severity !== vscode.DiagnosticSeverity.Information && !(codeOf(d) === 'deprecated-api' && u.fsPath === path.join(platform, 'apps', 'base', 'kustomization.yaml')))
          .map((d) => `${path.basename(u.fsPath)}: ${codeOf(d)}`),
      );
    assert.deepEqual(healthy, []);
  });

  test("quick-fix \"Change to './apps/prod'\" edits the document and clears the diagnostic", async () => {
    const uri = vscode.Uri.file(path.join(broken, 'clusters/prod/path-not-found.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('a path-not-found diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'path-not-found'));
    const actions = await exec<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, diag.range);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a): a is vscode.CodeAction => a.title === "Change to './apps/prod'" && 'edit' in a);
    assert.ok(fix, `no "Change to './apps/prod'" among ${JSON.stringify(titles)}`);
    assert.equal(fix.kind?.value, 'quickfix');
    assert.ok(fix.edit, 'the quick-fix carries no edit');
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'workspace.applyEdit refused the edit');
    assert.match(doc.getText(), /^ {2}path: \.\/apps\/prod$/m);
    assert.doesNotMatch(doc.getText(), /prdo/);
    await waitFor('the path-not-found diagnostic to clear after the edit', () => !vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'path-not-found'));

    // Revert: the server sees the old text again and reports the typo again.
    await revert(doc, (text) => text.includes('./apps/prdo'));
    await waitFor('path-not-found to come back after the revert', () => vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'path-not-found'));
  });

  test('quick-fix "Create apps/prdo/kustomization.yaml" creates the folder; deleting it brings path-not-found back', async () => {
    const uri = vscode.Uri.file(path.join(broken, 'clusters/prod/path-not-found.yaml'));
    const created = vscode.Uri.file(path.join(broken, 'apps/prdo/kustomization.yaml'));
    const diag = await waitFor('a path-not-found diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'path-not-found'));
    const actions = await exec<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, diag.range);
    const create = actions.find((a): a is vscode.CodeAction => a.title === 'Create apps/prdo/kustomization.yaml' && 'edit' in a);
    assert.ok(create?.edit, `no "Create apps/prdo/kustomization.yaml" among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(await vscode.workspace.applyEdit(create.edit), true, 'workspace.applyEdit refused the edit');
    await vscode.workspace.fs.stat(created); // the file exists on disk
    const doc = await vscode.workspace.openTextDocument(created);
    assert.match(doc.getText(), /^kind: Kustomization$/m);
    await doc.save();
    await waitFor('path-not-found to clear once the folder exists', () => !vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'path-not-found'));

    await vscode.workspace.fs.delete(vscode.Uri.file(path.dirname(created.fsPath)), { recursive: true });
    await waitFor('path-not-found to come back once the folder is deleted', () => vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'path-not-found'));
  });

  test('code lens: a tenant manifest is deployed by one Flux Kustomization of the platform', async () => {
    const uri = vscode.Uri.file(path.join(tenantA, 'deploy/release.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('a code lens on release.yaml', async () => {
      const ls = await exec<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      return ls?.length ? ls : undefined;
    });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Deployed by 1 Flux Kustomization']);
    const cmd = lenses[0].command!;
    assert.equal(cmd.command, 'fluxFleet.showDeployChains');
    assert.ok((await vscode.commands.getCommands(true)).includes(cmd.command), `${cmd.command} is not registered`);
    // What a click runs: one chain, so it peeks the location without asking.
    await exec(cmd.command, ...(cmd.arguments ?? []));
    await exec('closeReferenceSearch').catch(() => undefined);
  });

  test('hover on an inline HelmRelease value shows the effective value per context and the layer that won', async () => {
    const file = path.join(folder('values/tenant'), 'app', 'release.yaml');
    const doc = await vscode.workspace.openTextDocument(file);
    const hovers = await waitFor('an effective-value hover', async () => {
      const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'replicaCount: 2', 14));
      const text = hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Effective value/.test(text) ? text : undefined;
    });
    assert.match(hovers, /`5`/);
    assert.match(hovers, /flux:patches/);
  });

  test('a spec.path with a variable its parent substitutes: one diagnostic for the context whose folder is missing; hover and definition per context', async () => {
    const shapes = folder(path.join('real-shapes', 'fleet'));
    const web = vscode.Uri.file(path.join(shapes, 'tenants', 'web.yaml'));
    const diag = await waitFor('path-not-found on tenants/web.yaml (from the evaluated contexts)', () => vscode.languages.getDiagnostics(web).find((d) => codeOf(d) === 'path-not-found'));
    assert.equal(diag.range.start.line, 7);
    assert.match(diag.message, /becomes '\.\/web\/prod'/);
    assert.doesNotMatch(diag.message, /staging/);
    const doc = await vscode.workspace.openTextDocument(path.join(shapes, 'tenants', 'apps.yaml'));
    const at = positionOf(doc, '${ENVIRONMENT}', 3);
    const hovers = await exec<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /`\.\/apps\/prod` → `apps\/apps\/prod`/);
    assert.match(text, /`\.\/apps\/staging` → `apps\/apps\/staging`/);
    const defs = await exec<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, at);
    assert.deepEqual(defs.map((l) => path.relative(path.dirname(shapes), targetOf(l).fsPath)).sort(), [path.join('apps', 'apps', 'prod', 'kustomization.yaml'), path.join('apps', 'apps', 'staging', 'kustomization.yaml')]);
  });

  test('the pin-a-context command is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('fluxFleet.pinContext'));
  });

  test('locks: a tenant override of a locked chart version; hover; "Remove this override" removes the operation', async () => {
    const uri = vscode.Uri.file(path.join(folder(path.join('locks', 'tenant-a')), 'apps/web/version-ops.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('a locked-field diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'locked-field'));
    assert.equal(doc.getText(diag.range), '2.0.0');
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diag.message, /^spec\.chart\.spec\.version is locked \(chart versions are set by the platform\)/);
    const related = diag.relatedInformation ?? [];
    assert.equal(related.length, 1);
    assert.ok(related[0].location.uri.fsPath.endsWith(path.join('platform', 'bases', 'web', 'helmrelease.yaml')));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, diag.range.start);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Locked field/);
    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, diag.range);
    assert.deepEqual(actions.map((a) => a.title), ['Remove this override', 'Reset to the locked value 1.2.3']);
    const remove = actions.find((a): a is vscode.CodeAction => a.title === 'Remove this override' && 'edit' in a)!;
    assert.equal(await vscode.workspace.applyEdit(remove.edit!), true);
    assert.equal(doc.getText(), '# Newer chart, and our labels\n- op: add\n  path: /spec/values/podLabels\n  value:\n    team: a\n');
    await waitFor('locked-field to clear', () => !vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'locked-field'));
    await revert(doc);
    await waitFor('locked-field to come back after the revert', () => vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'locked-field'));
  });

  test('locks: a tenant patch that removes a locked field; "Remove this override" is the only fix and removes the operation', async () => {
    const uri = vscode.Uri.file(path.join(folder(path.join('locks', 'tenant-a')), 'apps/web/retries-ops.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('a locked-field diagnostic on the remove', () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'locked-field'));
    assert.equal(doc.getText(diag.range), 'op: remove\n  path: /spec/install/remediation/retries');
    assert.match(diag.message, /this patch removes this locked field/);
    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, diag.range);
    assert.deepEqual(actions.map((a) => a.title), ['Remove this override']);
    const remove = actions.find((a): a is vscode.CodeAction => 'edit' in a)!;
    assert.equal(await vscode.workspace.applyEdit(remove.edit!), true);
    assert.equal(doc.getText(), '# We would rather see a failed install at once\n- op: add\n  path: /spec/timeout\n  value: 10m\n');
    await waitFor('locked-field to clear', () => !vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'locked-field'));
    await revert(doc);
  });

  test('completion on a Flux spec.path offers the folders of the source repository (tenant-a)', async () => {
    const syncDoc = await vscode.workspace.openTextDocument(path.join(platform, 'tenants', 'tenant-a', 'sync.yaml'));
    const pos = positionOf(syncDoc, './deploy', 2);
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    const list = await waitFor('folder completions from flux-fleet', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', syncDoc.uri, pos);
      return l?.items.some((i) => i.kind === vscode.CompletionItemKind.Folder) ? l : undefined;
    });
    assert.deepEqual(list.items.filter((i) => i.kind === vscode.CompletionItemKind.Folder).map(label).sort(), ['./charts', './deploy', './shared']);
  });
});
