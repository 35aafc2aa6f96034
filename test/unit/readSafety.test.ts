// Reads stay inside the workspace: whatever a repository holds (links, `../` and absolute paths, mappings, a `.git`
// file), no command prints a file outside the folders it was given (test/helpers/hostile.ts holds every way out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../server/src/cli';
import * as path from 'node:path';
import { hostileWorkspace, MARKER } from '../helpers/hostile';
import { loadFleet } from '../helpers/fixture';
import { refTargets } from '../../server/src/core/link/types';

/** The CLI in this process (forty runs): what it writes, as a user sees it from `cwd`. */
function cli(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  const saved = { out: process.stdout.write, err: process.stderr.write, cwd: process.cwd() };
  process.stdout.write = ((chunk: string) => ((out.stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((out.stderr += chunk), true)) as typeof process.stderr.write;
  process.chdir(cwd);
  try {
    return { status: main(args), ...out };
  } finally {
    process.chdir(saved.cwd);
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

test('no CLI command prints a file outside the folders it was given (check, tree, build, values, kustomize; text and json)', () => {
  const h = hostileWorkspace();
  const runs: string[][] = [
    ['check', 'ws'],
    ['check', '--format', 'json', 'ws'],
    ['check', '--format', 'sarif', 'ws'],
    ['check', 'ws/repo'],
    ['tree', 'ws'],
    ['tree', 'ws/repo'],
    ...h.kustomizations.map((k) => ['build', `flux-system/${k}`, 'ws']),
    ['values', 'HelmRelease/apps/app', 'ws'],
    ['values', 'HelmRelease/apps/app', '--format', 'json', 'ws'],
    ...['dir-link', 'file-link', 'dotdot', 'absolute', 'generator', 'linked-base', 'outside-link', 'values'].flatMap((d) => [
      ['kustomize', `ws/repo/apps/${d}`],
      ['kustomize', `ws/repo/apps/${d}`, '--provenance'],
    ]),
  ];
  const cwd = path.dirname(h.ws);
  for (const args of runs) {
    const r = cli(args, cwd);
    assert.ok(r.status <= 1, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(!(r.stdout + r.stderr).includes(MARKER), `flux-fleet ${args.join(' ')} printed a file outside the workspace:\n${r.stdout}${r.stderr}`);
  }
  // The ways out are reported where they are, and the real content of the workspace still counts.
  const check = cli(['check', 'ws'], cwd).stdout;
  assert.match(check, /ws\/repo\/apps\/dir-link\/out:1:1: warning outside-root out is a symbolic link to .*\/outside, outside every repository/);
  assert.match(check, /ws\/repo\/apps\/file-link\/linked\.yaml:1:1: warning outside-root /);
  assert.match(check, /ws\/repo\/apps\/dotdot\/kustomization\.yaml:1:\d+: warning outside-root/);
  assert.match(check, /ws\/repo\/\.flux-fleet\.yaml:3:3: warning config-invalid https:\/\/github\.com\/acme\/outside is mapped to .*\/outside\/dir, outside the workspace folders/);
  assert.match(check, /ws\/repo\/\.flux-fleet\.yaml:4:3: warning config-invalid https:\/\/github\.com\/acme\/etc is mapped to \/etc/);
  assert.match(check, /ws\/linked-config\/\.flux-fleet\.yaml:1:1: warning config-invalid .* is a symbolic link to .*outside\/fleet\.yaml, outside the workspace folders: it is not read/);
});

test('a link inside the repository is followed as its target (read as that path), each real folder walked once', () => {
  const h = hostileWorkspace();
  const fs = require('node:fs') as typeof import('node:fs');
  fs.mkdirSync(path.join(h.repo, 'shared/base'), { recursive: true });
  fs.writeFileSync(path.join(h.repo, 'shared/base/kustomization.yaml'), 'resources: [cm.yaml]\n');
  fs.writeFileSync(path.join(h.repo, 'shared/base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n');
  fs.mkdirSync(path.join(h.repo, 'overlay'));
  fs.symlinkSync('../shared/base', path.join(h.repo, 'overlay/base'));
  fs.writeFileSync(path.join(h.repo, 'overlay/kustomization.yaml'), 'resources: [base]\n');
  const fleet = loadFleet(h.ws);
  const k = path.join(h.repo, 'overlay/kustomization.yaml');
  assert.deepEqual(fleet.links.findingsByFile.get(k) ?? [], []);
  assert.deepEqual(refTargets(fleet.links.refsByFile.get(k)![0]), [{ file: path.join(h.repo, 'shared/base/kustomization.yaml') }]);
  assert.ok(![...fleet.tree.allFiles()].some((f) => f.includes('/overlay/base/')), 'the linked folder is not walked again');
  const out = cli(['kustomize', 'ws/repo/overlay', '--provenance'], path.dirname(h.ws));
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /name: shared/);
  assert.match(out.stdout, /ws\/repo\/shared\/base\/cm\.yaml:4/);
});
