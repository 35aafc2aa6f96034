// Add tenant in a real VS Code extension host: the command with its arguments pre-filled (as the Fleet view's context
// menu calls it) asks the server for the plan and applies it through workspace.applyEdit; the change annotations ask
// for confirmation, so VS Code opens its refactor preview, and nothing is written until it is accepted. A refusal is
// shown, not applied.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { FluxFleetApi } from '../../../client/src/extension';

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

suite('Add tenant', () => {
  let platform: string;
  let gamma: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    const folder = (suffix: string) => vscode.workspace.workspaceFolders!.find((w) => w.uri.fsPath.endsWith(path.sep + suffix))!.uri.fsPath;
    platform = folder(path.join('tenants', 'platform'));
    gamma = folder(path.join('tenants', 'team-gamma'));
    const ext = vscode.extensions.getExtension<FluxFleetApi>('flux-fleet.flux-fleet');
    assert.ok(ext);
    await ext.activate();
  });

  // The refactor preview itself waits for a person's click (the UI test, test/e2e/ui.ts, shows it); here the command is
  // called as a caller that has shown the plan itself would (preview: false), and the whole plan must be written.
  test('the plan is applied whole: the new tenant\'s platform files, its repository folders, the list entry', async function () {
    // The server checks the plan on the whole workspace's fleet (every fixture open here) before answering.
    this.timeout(300_000);
    // The workspace holds several fixtures with a platform/clusters/prod: the cluster is named by its folder.
    const args = { name: 'gamma', repoUrl: 'https://github.com/tenancy-example/team-gamma', folder: gamma, clusters: [path.join(platform, 'clusters/prod')], preview: false };
    const done = await vscode.commands.executeCommand<boolean>('fluxFleet.addTenant', args);
    assert.equal(done, true);
    for (const f of ['tenants/gamma/kustomization.yaml', 'tenants/gamma/namespace.yaml', 'tenants/gamma/rbac.yaml', 'tenants/gamma/sync.yaml']) assert.ok(fs.existsSync(path.join(platform, f)), f);
    assert.ok(fs.existsSync(path.join(gamma, 'deploy/kustomization.yaml')));
    const sync = await vscode.workspace.openTextDocument(path.join(platform, 'tenants/gamma/sync.yaml'));
    assert.match(sync.getText(), /url: https:\/\/github\.com\/tenancy-example\/team-gamma\n/);
    // The list entry is an edit of an existing file (open and dirty until saved).
    const list = await vscode.workspace.openTextDocument(path.join(platform, 'tenants/kustomization.yaml'));
    assert.match(list.getText(), /- beta\n  - gamma\n/);
    await vscode.workspace.saveAll(false);
  });

  test('an existing tenant\'s name is refused, and nothing is applied', async function () {
    this.timeout(60_000);
    const applied = await vscode.commands.executeCommand<boolean>('fluxFleet.addTenant', { name: 'alpha', repoUrl: 'https://github.com/tenancy-example/x', folder: gamma, clusters: ['prod'] });
    assert.equal(applied, false);
  });
});
