// Move in a real VS Code extension host: the `fluxFleet.move` command (the explorer's context menu on a folder) asks
// the server for the plan (`fluxFleet/move`) and applies it as one workspace edit: the folder's files renamed and every
// reference rewritten, on disk; a refused move applies nothing and says why. The folder is moved back at the end, so
// the workspace is as it was for any suite after this one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { FluxFleetApi } from '../../../client/src/extension';
import type { MoveResult } from '../../../client/src/move';

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('Move', () => {
  let platform: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    platform = vscode.workspace.workspaceFolders!.find((w) => w.uri.fsPath.endsWith(path.join('fleet', 'platform')))!.uri.fsPath;
    const ext = vscode.extensions.getExtension<FluxFleetApi>('flux-fleet.flux-fleet');
    assert.ok(ext);
    await ext.activate();
  });

  const move = (from: string, to: string) => vscode.commands.executeCommand<MoveResult>('fluxFleet.move', vscode.Uri.file(path.join(platform, from)), vscode.Uri.file(path.join(platform, to)), { preview: false });
  const read = (rel: string) => fs.readFileSync(path.join(platform, rel), 'utf8');

  test('a component folder moves with the kustomization and the Flux Kustomization that name it, and back', async function () {
    this.timeout(120_000);
    // The server has indexed the fleet once it answers a plan; the first request may wait for that.
    const result = await waitFor('the move to be planned', async () => {
      const r = await move('components/monitoring', 'components/observability');
      return r.refused?.includes('not a file or folder') ? false : r;
    });
    assert.equal(result.refused, undefined);
    assert.equal(result.applied, true);
    assert.deepEqual(result.renames!.map(([a, b]) => [path.relative(platform, a), path.relative(platform, b)]), [
      ['components/monitoring/kustomization.yaml', 'components/observability/kustomization.yaml'],
      ['components/monitoring/servicemonitor.yaml', 'components/observability/servicemonitor.yaml'],
    ]);
    assert.deepEqual(result.edited!.map((f) => path.relative(platform, f)).sort(), ['apps/prod/kustomization.yaml', 'clusters/prod/infra.yaml']);
    await waitFor('the files to move on disk', () => fs.existsSync(path.join(platform, 'components/observability/servicemonitor.yaml')));
    await vscode.workspace.saveAll(false);
    assert.match(read('apps/prod/kustomization.yaml'), /- \.\.\/\.\.\/components\/observability\n/);
    assert.match(read('clusters/prod/infra.yaml'), /- \.\.\/components\/observability\n/);
    await waitFor('the emptied folder to be removed', () => !fs.existsSync(path.join(platform, 'components/monitoring')));

    // Back, once the server has seen the move (its plan then names the new folder).
    const back = await waitFor('the move back to be planned', async () => {
      const r = await move('components/observability', 'components/monitoring');
      return r.refused ? false : r;
    });
    assert.equal(back.applied, true);
    await vscode.workspace.saveAll(false);
    assert.match(read('clusters/prod/infra.yaml'), /- \.\.\/components\/monitoring\n/);
  });

  test('a move onto an existing folder is refused with the reason, and nothing changes', async () => {
    const before = read('apps/prod/kustomization.yaml');
    const r = await move('components/monitoring', 'apps/prod');
    assert.equal(r.applied, false);
    assert.match(r.refused ?? '', /apps\/prod exists: a move never overwrites/);
    assert.equal(read('apps/prod/kustomization.yaml'), before);
  });
});
