// Rename (a variable and an object) and the live rendered-output / effective-values documents in a real VS Code
// extension host, on the values fixture (platform + tenant repositories). Edits stay unsaved and are reverted.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';

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
  assert.ok(f, `workspace folder */${suffix} is not open`);
  return f.uri.fsPath;
}

function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not found in ${doc.uri.fsPath}`);
  return doc.positionAt(at + delta);
}

const exec = <T>(command: string, ...args: unknown[]): Promise<T> => vscode.commands.executeCommand<T>(command, ...args) as Promise<T>;

/** Reverts `doc` to its saved text, asked by URI and again while it stays dirty (a loaded machine may drop one). */
async function revert(doc: vscode.TextDocument): Promise<void> {
  let lastAsked = 0;
  await waitFor(`${path.basename(doc.uri.fsPath)} to be reverted`, async () => {
    if (doc.isDirty && Date.now() - lastAsked > 3000) {
      lastAsked = Date.now();
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
    }
    return !doc.isDirty;
  });
}

suite('Rename and the live object views (values fixture)', () => {
  let root: string;
  let release: vscode.TextDocument;
  const touched: vscode.TextDocument[] = [];

  /** Each edit of a WorkspaceEdit as `repo/path:line old→new`, sorted. */
  const described = async (edit: vscode.WorkspaceEdit) => {
    const out: string[] = [];
    for (const [uri, edits] of edit.entries()) {
      const doc = await vscode.workspace.openTextDocument(uri);
      for (const e of edits) out.push(`${path.relative(root, uri.fsPath)}:${e.range.start.line + 1} ${doc.getText(e.range)}→${e.newText}`);
    }
    return out.sort();
  };

  suiteSetup(async function () {
    this.timeout(120_000);
    root = path.dirname(folder(path.join('values', 'platform')));
    const ext = vscode.extensions.getExtension('flux-fleet.flux-fleet');
    assert.ok(ext);
    await ext.activate();
    release = await vscode.workspace.openTextDocument(path.join(root, 'tenant/app/release.yaml'));
    await vscode.window.showTextDocument(release);
    // Ready once the server answers a variable hover with its value.
    await waitFor('the server to know ${region}', async () => {
      const hs = await exec<vscode.Hover[]>('vscode.executeHoverProvider', release.uri, positionOf(release, '${region}', 3));
      return hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').includes('eu-central');
    }, 90_000);
  });

  suiteTeardown(async () => {
    for (const doc of touched) if (doc.isDirty) await revert(doc);
  });

  test('renaming ${region} at its use: the ConfigMap key in the platform repository and the use in the tenant repository, one edit', async () => {
    const at = positionOf(release, '${region}', 4);
    const edit = await exec<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', release.uri, at, 'aws_region');
    assert.deepEqual(await described(edit), ['platform/clusters/prod/vars.yaml:8 region→aws_region', 'tenant/app/release.yaml:25 region→aws_region']);
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    const vars = await vscode.workspace.openTextDocument(path.join(root, 'platform/clusters/prod/vars.yaml'));
    touched.push(release, vars);
    assert.match(release.getText(), /region: \$\{aws_region\}/);
    assert.match(vars.getText(), /^ {2}aws_region: eu-central$/m);
    // The renamed variable resolves as before: its hover has the same value.
    await waitFor('the hover on ${aws_region}', async () => {
      const hs = await exec<vscode.Hover[]>('vscode.executeHoverProvider', release.uri, positionOf(release, '${aws_region}', 3));
      return hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').includes('eu-central');
    });
    await revert(release);
    await revert(vars);
  });

  test("a refused variable rename says why; an object rename (the tenant's GitRepository) edits its name and both repositories' sourceRefs", async () => {
    const dashboards = await vscode.workspace.openTextDocument(path.join(root, 'tenant/app/dashboards.yaml'));
    await assert.rejects(
      Promise.resolve(exec('vscode.prepareRename', dashboards.uri, positionOf(dashboards, '${cluster_name}', 4))),
      /deploys \$\{cluster_name\} here without substituting it/,
    );
    const tenant = await vscode.workspace.openTextDocument(path.join(root, 'platform/clusters/prod/tenant.yaml'));
    const edit = await exec<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', tenant.uri, positionOf(tenant, 'name: tenant', 7), 'tenant-repo');
    assert.deepEqual(await described(edit), ['platform/clusters/prod/tenant.yaml:23 tenant→tenant-repo', 'platform/clusters/prod/tenant.yaml:4 tenant→tenant-repo', 'tenant/app/release.yaml:12 tenant→tenant-repo']);
  });

  test('Show Rendered Output and Show Effective Values: read-only documents whose text follows an unsaved edit of a layer', async () => {
    const editor = await vscode.window.showTextDocument(release);
    editor.selection = new vscode.Selection(positionOf(release, 'kind: HelmRelease'), positionOf(release, 'kind: HelmRelease'));
    await exec('fluxFleet.showRenderedOutput');
    await exec('fluxFleet.showEffectiveValues');
    const view = (title: string) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'flux-fleet-view' && d.uri.path.endsWith(title));
    const rendered = await waitFor('the rendered-output document', () => view('rendered.yaml'));
    const values = await waitFor('the effective-values document', () => view('effective values.yaml'));
    assert.equal(rendered.languageId, 'yaml');
    await waitFor('replicaCount 5 rendered', () => /^ {4}replicaCount: 5$/m.test(rendered.getText()) || undefined);
    assert.match(rendered.getText(), /^# HelmRelease web, rendered\n# in platform\/clusters\/prod\/flux-system: flux-system\/flux-system > flux-system\/tenant\n/);
    await waitFor('replicaCount 5 with its layer', () => /^replicaCount: 5 {2}# platform\/clusters\/prod\/tenant\.yaml:32 \(spec\.values \(flux:patches\)\)$/m.test(values.getText()) || undefined);

    // An unsaved edit of the Flux patch (another repository's file): both documents change, no save, no reopen.
    const tenant = await vscode.workspace.openTextDocument(path.join(root, 'platform/clusters/prod/tenant.yaml'));
    touched.push(tenant);
    const edit = new vscode.WorkspaceEdit();
    const at = positionOf(tenant, 'replicaCount: 5', 14);
    edit.replace(tenant.uri, new vscode.Range(at, at.translate(0, 1)), '7');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await waitFor('the rendered output to show replicaCount 7', () => /^ {4}replicaCount: 7$/m.test(rendered.getText()) || undefined);
    await waitFor('the effective values to show replicaCount 7', () => /^replicaCount: 7 {2}# platform\/clusters\/prod\/tenant\.yaml:32/m.test(values.getText()) || undefined);
    await revert(tenant);
    await waitFor('the rendered output back to replicaCount 5', () => /^ {4}replicaCount: 5$/m.test(rendered.getText()) || undefined);
  });
});
