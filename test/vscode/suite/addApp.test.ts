// Add app in a real VS Code extension host: after the target and the base are chosen, the command asks for each value
// the base requires (a `# fleet:required` mark of its chart, the fleet's `required:` policy), showing why, and sends
// them with the request; the plan is applied whole. The input boxes are answered through the command's `input`
// argument (what a test or another caller gives instead of showInputBox). A value left out asks again, never sends.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { FluxFleetApi } from '../../../client/src/extension';

suite('Add app', () => {
  let platform: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    platform = vscode.workspace.workspaceFolders!.find((w) => w.uri.fsPath.endsWith(path.join('add-app', 'platform')))!.uri.fsPath;
    const ext = vscode.extensions.getExtension<FluxFleetApi>('flux-fleet.flux-fleet');
    assert.ok(ext);
    await ext.activate();
  });

  test('cancelling a required value\'s input box adds nothing', async function () {
    this.timeout(300_000);
    const asked: string[] = [];
    const done = await vscode.commands.executeCommand<boolean>('fluxFleet.addApp', {
      name: 'web',
      base: path.join(platform, 'bases/web'),
      to: path.join(platform, 'apps/prod'),
      preview: false,
      input: async (o: vscode.InputBoxOptions) => (asked.push(String(o.title)), undefined),
    });
    assert.equal(done, false);
    assert.deepEqual(asked, ['Add app web: ingress.host (required)']);
    assert.ok(!fs.existsSync(path.join(platform, 'apps/prod/web')));
  });

  test('each required value is asked with its reason, then the plan is applied with them', async function () {
    this.timeout(300_000);
    const asked: Array<[string, string]> = [];
    const answers: Record<string, string> = { 'ingress.host': 'web.example.com', owner: 'team-web' };
    const done = await vscode.commands.executeCommand<boolean>('fluxFleet.addApp', {
      name: 'web',
      base: path.join(platform, 'bases/web'),
      to: path.join(platform, 'apps/prod'),
      preview: false,
      input: async (o: vscode.InputBoxOptions) => {
        const key = /: (\S+) \(required\)$/.exec(String(o.title))?.[1] ?? '';
        asked.push([key, String(o.prompt)]);
        return answers[key];
      },
    });
    assert.equal(done, true);
    assert.deepEqual(asked, [
      ['ingress.host', 'Required: every app serves its own host'],
      ['owner', 'Required: every release names its owning team'],
    ]);
    const values = await vscode.workspace.openTextDocument(path.join(platform, 'apps/prod/web/values.yaml'));
    assert.match(values.getText(), /host: web\.example\.com # required: every app serves its own host\nowner: team-web # required/);
    const list = await vscode.workspace.openTextDocument(path.join(platform, 'apps/prod/kustomization.yaml'));
    assert.match(list.getText(), /- api\n  - web\n/);
    await vscode.workspace.saveAll(false);
  });
});
