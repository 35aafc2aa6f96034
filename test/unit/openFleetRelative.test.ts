// ide.openFleet given a relative root (an API caller's, a script's) opens the same fleet as by its absolute path: the
// engine keys files by absolute paths, and a relative root made every resolved path lie outside its repository.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ide from '../../server/src/ide';

test('a relative root opens the same fleet as its absolute path', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-relative-'));
  const cwd = process.cwd();
  try {
    const app = path.join(dir, 'fleet', 'apps');
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n');
    fs.writeFileSync(path.join(app, 'deployment.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: "1"\n');
    process.chdir(dir);
    const relative = ide.openFleet(['fleet']);
    const absolute = ide.openFleet([path.join(dir, 'fleet').split(path.sep).join('/')]);
    const options = { strictSubstitution: true, schema: true };
    assert.deepEqual(ide.check(relative, options), ide.check(absolute, options));
    assert.deepEqual(ide.check(relative, options), []);
    assert.deepEqual(relative.repositories.map((r) => r.root), absolute.repositories.map((r) => r.root));
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
