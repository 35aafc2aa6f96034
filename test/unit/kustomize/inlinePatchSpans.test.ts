// Spans of what inline patches write (a Flux Kustomization's `spec.patches[].patch`, a kustomization's
// `patches[].patch`): held in block scalars, mapped back to the lines of the file that holds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFleet, materialize } from '../../helpers/fixture';
import { allContexts } from '../../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../../server/src/core/deployChains';
import { offsetToLineCol, computeLineStarts } from '../../../server/src/core/text';

const FLEET = `
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/fleet: .
//- repo/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/fleet
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
  patches:
    - patch: |
        - op: add
          path: /spec/values/flux
          value:
            a:
              b: one
            c: [x, y]
      target:
        kind: HelmRelease
//- repo/apps/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - release.yaml
patches:
  - patch: |
      - op: add
        path: /spec/values/kustomize
        value:
          d:
            e: two
          f: [z]
    target:
      kind: HelmRelease
//- repo/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
  values:
    replicas: 1
`;

test("a JSON 6902 operation's nested map value in an inline patch: its leaves' spans lie on the value's lines", () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.file('repo'));
  const ctx = allContexts(fleet, rootKustomizations(fleet))[0];
  const hr = ctx.build.resources.find((r) => r.obj.kind === 'HelmRelease')!;
  const seen: string[] = [];
  for (const [ptr, leaf] of [['/spec/values/flux/a/b', 'one'], ['/spec/values/flux/c/1', 'y'], ['/spec/values/kustomize/d/e', 'two'], ['/spec/values/kustomize/f/0', 'z']] as const) {
    const w = hr.prov.get(ptr)?.at(-1);
    assert.ok(w?.span, `${ptr}: no span`);
    const text = fleet.facts.get(w!.file)!.text;
    const lines = computeLineStarts(text);
    const from = offsetToLineCol(lines, w!.span!.start);
    const to = offsetToLineCol(lines, w!.span!.end);
    const covered = text.slice(w!.span!.start, w!.span!.end);
    seen.push(`${ptr} ${from.line + 1}:${from.character + 1}-${to.line + 1}:${to.character + 1} ${JSON.stringify(covered)}`);
    // Exactly the leaf's own text (not the whole value that holds it, not empty, not backwards).
    assert.equal(covered, leaf, seen.at(-1));
  }
});
