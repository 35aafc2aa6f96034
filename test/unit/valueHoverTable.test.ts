// The effective-value hover as a user reads it (issue 16): one short table per value, no value twice, long lists
// folded with the whole answer in the effective-values document, and blank lines between blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet, materialize } from '../helpers/fixture';
import { effectiveValueHover } from '../../server/src/features/effectiveValues';
import { effectiveValuesDocument, hover } from '../../server/src/ide/hover';

const valuesDir = path.resolve(__dirname, '../fixtures/values');

/** Markdown where a header or table would run into the line above it (no blank line between blocks). */
function runOns(md: string): string[] {
  const lines = md.split('\n');
  const out: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1];
    const starts = (l: string) => (l.startsWith('|') ? 'table' : l.startsWith('- ') ? 'list' : l.trim() ? 'text' : 'blank');
    const [a, b] = [starts(prev), starts(lines[i])];
    if (a !== 'blank' && b !== 'blank' && a !== b) out.push(`${prev} ⏎ ${lines[i]}`);
    if (a === 'text' && b === 'text') out.push(`${prev} ⏎ ${lines[i]}`);
  }
  return out;
}

test('an inline HelmRelease value: one table (context → value → layer and line → what it overrode), not the field and the values layer twice', () => {
  const fleet = loadFleet(valuesDir);
  const file = path.join(valuesDir, 'tenant/app/release.yaml');
  const text = fleet.facts.get(file)!.text;
  const md = effectiveValueHover(fleet, file, text.indexOf('replicaCount: 2') + 14)!.markdown;
  assert.equal(md, [
    '**Effective value** in 1 context',
    '',
    '`values.replicaCount` of HelmRelease apps/web',
    '',
    '| Contexts | Value | Set by | Overrode |',
    '| --- | --- | --- | --- |',
    '| flux-system/tenant | `5` | spec.values (flux:patches) · `platform/clusters/prod/tenant.yaml:32` | `3` spec.values (patches) · `values/tenant/app/replicas-patch.yaml:7` (+3 beneath) |',
  ].join('\n'));
  assert.doesNotMatch(md, /spec\/values|spec\.values\.replicaCount/);
  assert.deepEqual(runOns(md), []);
});

/** Six clusters deploy one folder whose kustomization sets `namespace: default` on eight Flux Kustomizations. */
function bigFleet() {
  const clusters = ['a', 'b', 'c', 'd', 'e', 'f'];
  const apps = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
  let spec = `//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/big: .
`;
  for (const c of clusters) {
    spec += `//- repo/clusters/${c}/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/big
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
  }
  spec += `//- repo/apps/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: default
resources:
${apps.map((a) => `  - ${a}.yaml`).join('\n')}
`;
  for (const a of apps) {
    spec += `//- repo/apps/${a}.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${a}
spec:
  interval: 10m
  path: ./nowhere/${a}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
`;
  }
  return materialize(spec);
}

test('a hover on `namespace: default` in a large fleet folds the objects and contexts, and links the whole answer', () => {
  const m = bigFleet();
  const fleet = loadFleet(m.file('repo'));
  const file = m.file('repo/apps/kustomization.yaml');
  const offset = fleet.facts.get(file)!.text.indexOf('default') + 2;
  const h = hover(fleet, file, offset)!;
  assert.ok(h.folded, h.markdown);
  assert.match(h.markdown, /^`metadata\.namespace` of Kustomization default\/eight, Kustomization default\/five, Kustomization default\/four, \+5 more$/m);
  assert.match(h.markdown, /^\| [^|]*, \+3 more \| `"default"` \| namespace · `repo\/apps\/kustomization\.yaml:3` \| — \|$/m);
  assert.doesNotMatch(h.markdown, /default\/two/);
  assert.ok(h.markdown.split('\n').length < 20, h.markdown);
  assert.deepEqual(runOns(h.markdown), []);
  const all = effectiveValuesDocument(fleet, file, offset)!;
  for (const a of ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight']) assert.match(all, new RegExp(`Kustomization default/${a}\\b`));
  assert.doesNotMatch(all, /more/);
  assert.match(all, /in 6 contexts/);
});

test('a hover with nothing to fold says so (no "show all")', () => {
  const fleet = loadFleet(valuesDir);
  const file = path.join(valuesDir, 'tenant/app/release.yaml');
  const text = fleet.facts.get(file)!.text;
  assert.equal(hover(fleet, file, text.indexOf('replicaCount: 2') + 14)!.folded, false);
});

test('objects one line wrote the same value into share a row; what each overrode folds into it', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/one: .
//- repo/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/one
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- repo/apps/kustomization.yaml
namespace: apps
resources:
  - a.yaml
  - b.yaml
//- repo/apps/a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  namespace: old
//- repo/apps/b.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  namespace: older
`);
  const fleet = loadFleet(m.file('repo'));
  const file = m.file('repo/apps/kustomization.yaml');
  const offset = fleet.facts.get(file)!.text.indexOf('apps') + 1;
  const h = hover(fleet, file, offset)!;
  const rows = h.markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Contexts') && !l.startsWith('| ---'));
  assert.deepEqual(rows, ['| repo/clusters/prod: flux-system/apps | `"apps"` | namespace · `repo/apps/kustomization.yaml:1` | `"old"` resource · `repo/apps/a.yaml:5`, +1 more |']);
  assert.ok(h.folded);
  assert.match(effectiveValuesDocument(fleet, file, offset)!, /`"old"` resource · `repo\/apps\/a\.yaml:5`, `"older"` resource · `repo\/apps\/b\.yaml:5` \|$/m);
});
