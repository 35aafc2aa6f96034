// Change impact on real public fleets (../shared/corpora, absent on a fresh clone: skipped). The corpora are copied
// to a temporary folder at test time (never into the project), made into Git repositories there with isomorphic-git
// (git never runs), edited in the working tree, and compared with HEAD, as the editor and `flux-fleet diff` do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import git from 'isomorphic-git';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { impact, pruneDeleteFindings } from '../../server/src/ide/impact';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { tempDir } from '../helpers/tempDir';

/** Copies corpora into a temporary folder, each one a Git repository with everything committed on `main`. */
async function committedCopies(names: string[]): Promise<string> {
  const dir = tempDir('ff-impact-corpus-');
  for (const name of names) {
    const repo = path.join(dir, name);
    fs.cpSync(path.join(CORPORA_DIR, name), repo, { recursive: true });
    await git.init({ fs, dir: repo, defaultBranch: 'main' });
    for (const [file] of await git.statusMatrix({ fs, dir: repo })) await git.add({ fs, dir: repo, filepath: file });
    await git.commit({ fs, dir: repo, message: 'corpus', author: { name: 'Test', email: 'test@example.com', timestamp: 1764547200, timezoneOffset: 0 } });
  }
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${from} not in ${file}`);
  fs.writeFileSync(file, text.replace(from, to));
}

test('flux2-kustomize-helm-example: a typo in the prune: true apps path deletes the podinfo Namespace, flagged on that line', { timeout: 120_000 }, async (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const dir = await committedCopies(['flux2-kustomize-helm-example']);
  const root = path.join(dir, 'flux2-kustomize-helm-example');
  const apps = path.join(root, 'clusters/production/apps.yaml');
  edit(apps, 'path: ./production', 'path: ./prodution');
  const fleet = new Fleet(new NodeFileSystem(), { roots: [root] });
  fleet.load();
  const x = await impact(fleet, { rev: 'HEAD' });
  assert.deepEqual(x.changedFiles.map((f) => [path.relative(root, f.file), f.status]), [['clusters/production/apps.yaml', 'changed']]);
  assert.deepEqual(x.contexts.map((c) => [contextLabel(c.id).replace(dir + '/', ''), c.objects.map((o) => `${o.status} ${o.kind} ${o.namespace ?? ''}/${o.name}`)]), [
    ['flux2-kustomize-helm-example/clusters/production: flux-system/apps', ['removed HelmRelease podinfo/podinfo', 'removed HelmRepository podinfo/podinfo', 'removed Namespace /podinfo']],
  ]);
  const findings = pruneDeleteFindings(x);
  assert.ok(findings.length >= 1);
  const line = fs.readFileSync(apps, 'utf8').slice(0, findings[0].span.start).split('\n').length;
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error').map((f) => [path.relative(root, f.file), line, f.code]),
    [['clusters/production/apps.yaml', 16, 'prune-deletes']],
  );
  assert.match(findings.find((f) => f.severity === 'error')!.message, /Namespace podinfo/);
  assert.deepEqual(x.totals.deletions, 3);
});

test('d1 (three repositories): a values patch changed in d1-apps reaches the two production clusters rooted in d1-fleet, not staging', { timeout: 120_000 }, async (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const dir = await committedCopies(['d1-fleet', 'd1-infra', 'd1-apps']);
  edit(path.join(dir, 'd1-apps/components/frontend/production/podinfo-values.yaml'), 'replicaCount: 2', 'replicaCount: 7');
  const fleet = new Fleet(new NodeFileSystem(), { roots: [path.join(dir, 'd1-fleet')] });
  fleet.load();
  const x = await impact(fleet, { rev: 'HEAD' });
  assert.deepEqual(x.baseline.repos.map((r) => [path.basename(r.root), /^[0-9a-f]{40}$/.test(r.commit ?? '')]).sort(), [['d1-apps', true], ['d1-fleet', true], ['d1-infra', true]]);
  const rows = x.contexts.map((c) => `${c.id.root.replace(dir + '/', '')} ${c.id.chain.map((l) => `${l.namespace}/${l.name}`).join(' > ')}: ${c.objects.map((o) => `${o.kind} ${o.name} ${o.fields.map((f) => `${f.path} ${f.old} → ${f.new}`).join('; ')}`).join(', ')}`);
  assert.deepEqual(rows, [
    'd1-fleet/clusters/prod-eu/flux-system flux-system/flux-system > flux-system/flux-apps-tenant > frontend/flux-frontend: HelmRelease podinfo /spec/values/replicaCount 2 → 7',
    'd1-fleet/clusters/prod-us/flux-system flux-system/flux-system > flux-system/flux-apps-tenant > frontend/flux-frontend: HelmRelease podinfo /spec/values/replicaCount 2 → 7',
  ]);
  assert.deepEqual(x.dangers, []);
});
