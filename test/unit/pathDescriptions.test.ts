// A kustomization path reference's description (hover, document links): `role → repo/path` of the file it leads to,
// whatever the role, the repository, or whether the path names a file or a folder (its kustomization file). The links
// keep the reference's role and file, not the text (resolver.ts refDescription makes it when read): the text must be
// the same as `role → ` and the file's `repo/path` written out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFleet, materialize } from '../helpers/fixture';
import { refDescription } from '../../server/src/core/link/resolver';
import * as ide from '../../server/src/ide';

test('path references are described as role → repo/path, in each repository and role', () => {
  const m = materialize(`
//- platform/.git/config
[remote "origin"]
  url = https://example.com/org/platform.git
//- platform/clusters/prod/kustomization.yaml
resources:
  - ../../base
  - extra.yaml
components:
  - ../../components/logging
patches:
  - path: patch.yaml
//- platform/clusters/prod/extra.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
//- platform/clusters/prod/patch.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
data: {a: b}
//- platform/base/kustomization.yaml
resources: [cm.yaml]
//- platform/base/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: base
//- platform/components/logging/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
//- apps/.git/config
[remote "origin"]
  url = https://example.com/org/apps.git
//- apps/shop/kustomization.yaml
resources: [deploy.yaml, ../web]
//- apps/shop/deploy.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop
//- apps/web/kustomization.yaml
resources: []
`);
  const fleet = loadFleet(m.dir);
  const described = (rel: string) => (fleet.links.refsByFile.get(m.file(rel)) ?? []).filter((r) => r.kind === 'path').map((r) => refDescription(fleet, r)).sort();
  assert.deepEqual(described('platform/clusters/prod/kustomization.yaml'), [
    'components → platform/components/logging/kustomization.yaml',
    'patches → platform/clusters/prod/patch.yaml',
    'resources → platform/base/kustomization.yaml',
    'resources → platform/clusters/prod/extra.yaml',
  ]);
  assert.deepEqual(described('platform/base/kustomization.yaml'), ['resources → platform/base/cm.yaml']);
  assert.deepEqual(described('apps/shop/kustomization.yaml'), ['resources → apps/shop/deploy.yaml', 'resources → apps/web/kustomization.yaml']);
  // The links keep no text per path reference: its role and file (issue 12: 10,700 of them on the synthetic fleet).
  const refs = [...fleet.links.refsByFile.values()].flat().filter((r) => r.kind === 'path');
  assert.equal(refs.length, 7);
  for (const r of refs) {
    assert.equal(r.description, undefined);
    assert.ok(r.role && r.target);
  }
  // What the features show: the document link's tooltip and the hover read the same text.
  const k = m.file('apps/shop/kustomization.yaml');
  const links = ide.documentLinks(fleet, k).map((l) => l.tooltip).sort();
  assert.deepEqual(links, described('apps/shop/kustomization.yaml'));
  const text = fleet.facts.get(k)!.text;
  const hover = ide.hover(fleet, k, text.indexOf('../web') + 1);
  assert.match(hover?.markdown ?? '', /^\*\*path\*\* resources → apps\/web\/kustomization\.yaml\n/);
});
