// Files of one text (a fleet repeats its files: the synthetic fleet's 10,987 files hold 6,750 texts) are validated
// once per text in a pass over the fleet when the first answered nothing (features/schemaDiagnostics.ts): the others
// answer nothing too, unless their name makes their validation another (a kustomization file's name selects the
// kustomize schema). Every file keeps its own findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { fleetSchemaDiagnostics, schemaDiagnostics } from '../../server/src/features/schemaDiagnostics';

const CONFIG = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [a.yaml]
unknownField: 1
`;
const CLEAN = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: repo
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/acme/repo
`;
const BROKEN = CLEAN.replace('interval: 1m', 'interval: soon');

test('files of one text: the same findings as each validated alone, names that select another schema apart', () => {
  const m = materialize(`
//- repo/a/config.yaml
${CONFIG}
//- repo/b/kustomization.yaml
${CONFIG}
//- repo/a/git.yaml
${CLEAN}
//- repo/b/git.yaml
${CLEAN}
//- repo/c/git.yaml
${BROKEN}
//- repo/d/git.yaml
${BROKEN}
`);
  const whole = fleetSchemaDiagnostics(loadFleet(m.dir));
  const alone = loadFleet(m.dir);
  const expected = [...alone.facts.keys()].flatMap((f) => schemaDiagnostics(alone, f));
  const show = (fs: typeof whole) => fs.map((f) => `${path.relative(m.dir, f.file)}:${f.span.start} ${f.message}`).sort();
  assert.deepEqual(show(whole), show(expected));
  // (what the fixture is about: the kustomization file's unknown field is found, though a file of its text is clean)
  assert.deepEqual(
    show(whole).map((s) => s.split(':')[0]),
    ['repo/b/kustomization.yaml', 'repo/c/git.yaml', 'repo/d/git.yaml'],
  );
});
