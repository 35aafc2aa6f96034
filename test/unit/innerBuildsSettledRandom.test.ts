// Kept builds settled into their includers (core/kustomize/build.ts Builder.settle), against builds that make every
// level anew: seeded random trees of three bases, middle levels that take a base as it is (some with a patch, an
// origin request or a component), a middle level over a middle level, and top levels with up to three of kustomize's
// steps, built in a random order through one fleet's kept builds, with edits of the bases and a middle level between
// builds. Every build equals the one made anew, a build asked again reads as before, and a kept build never changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { rngOf } from '../helpers/fuzz';
import { buildKustomization, type BuildResult } from '../../server/src/core/kustomize/build';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';
import type { Fleet } from '../../server/src/core/model';
import type { Resource } from '../../server/src/core/kustomize/types';

const SEEDS = 60;

/** Base `n`: a Deployment reading a generated ConfigMap, a Service, a RoleBinding, a ServiceAccount; base 1 renames its
 *  objects and base 2 sets their namespace (renames a kept build hands on). */
const base = (n: number, hash: boolean) => `
//- b${n}/kustomization.yaml
resources: [deploy.yaml, svc.yaml, binding.yaml, sa.yaml]
${n === 1 ? 'namePrefix: b1-\n' : ''}${n === 2 ? 'namespace: basens\n' : ''}configMapGenerator:
  - name: cfg${n}
    literals: [a=${n}]
${hash ? '' : 'generatorOptions:\n  disableNameSuffixHash: true\n'}//- b${n}/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata: { name: web${n}, labels: { app: web${n} }, annotations: { note: b } }
spec:
  replicas: 1
  selector: { matchLabels: { app: web${n} } }
  template:
    metadata: { labels: { app: web${n} } }
    spec:
      serviceAccountName: sa${n}
      containers:
        - name: c
          image: img${n}:1
          env: [{ name: X, value: "1" }]
          envFrom: [{ configMapRef: { name: cfg${n} } }]
//- b${n}/svc.yaml
apiVersion: v1
kind: Service
metadata: { name: svc${n} }
spec: { selector: { app: web${n} }, ports: [{ port: 80 }] }
//- b${n}/binding.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: rb${n} }
subjects: [{ kind: ServiceAccount, name: default }, { kind: ServiceAccount, name: sa${n} }]
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
//- b${n}/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata: { name: sa${n} }
`;

const COMPONENTS = `
//- comp/c0/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
commonLabels: { comp: c0 }
//- comp/c1/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
namespace: compns
//- comp/c2/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - patch: |
      - op: add
        path: /metadata/annotations/c2
        value: "yes"
    target: { kind: Deployment }
`;

/** A level's steps (N: the base's number, X: a value of the level's, C: a component's number). From PATCHES on, a
 *  middle level's too (what changes only some objects, or none). */
const STEPS = [
  'namespace: ns-X',
  'namePrefix: p-',
  'nameSuffix: -s',
  'commonLabels: { team: X }',
  'labels:\n  - pairs: { tier: X }\n    includeTemplates: true',
  'commonAnnotations: { owner: X }',
  'images:\n  - name: imgN\n    newTag: "X"',
  'replicas:\n  - name: webN\n    count: 5',
  'patches:\n  - patch: |\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: { name: webN }\n      spec: { template: { spec: { containers: [{ name: c, env: [{ name: X, value: "X" }] }] } } }',
  'patches:\n  - patch: |\n      - op: replace\n        path: /spec/ports/0/port\n        value: 81\n    target: { kind: Service }',
  'patches:\n  - patch: |\n      - op: remove\n        path: /metadata/annotations/note\n    target: { kind: Deployment }',
  'patches:\n  - patch: |\n      apiVersion: v1\n      kind: ServiceAccount\n      metadata: { name: saN }\n      automountServiceAccountToken: false',
  'patchesStrategicMerge:\n  - |\n    apiVersion: v1\n    kind: Service\n    metadata: { name: svcN }\n    spec: { type: NodePort }',
  'replacements:\n  - source: { kind: ServiceAccount, fieldPath: metadata.name }\n    targets:\n      - select: { kind: Deployment }\n        fieldPaths: [spec.template.spec.serviceAccountName]',
  'configMapGenerator:\n  - name: cfgN\n    behavior: merge\n    literals: [z=X]',
  'buildMetadata: [originAnnotations]',
  'components: [COMP]',
];
const PATCHES = 8;

const shown = (rs: readonly Resource[]) => rs.map((r) => [r.obj, [...r.prov], r.removed ? [...r.removed] : null, r.origin]);
const show = (b: BuildResult) => JSON.stringify([b.issues.map((i) => i.message), shown(b.resources)]);

/** Each kept inner build's content, by its entry (an entry made again after an edit is another). */
function keptBuilds(fleet: Fleet): Map<object, string> {
  const out = new Map<object, string>();
  for (const e of fleet.db.lru<string, { built: { resources: Resource[] } }>('innerBuild').lru.values()) out.set(e, JSON.stringify(shown(e.built.resources)));
  return out;
}

test('random trees over kept bases, built in a random order with edits between: each build as made anew, kept builds unchanged', () => {
  let built = 0;
  let changedByEdits = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = rngOf(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
    const step = (s: string, n: string, x: string, comp: string) => s.replace(/N\b/g, n).replace(/X/g, x).replace('COMP', comp);
    let spec = base(0, rng() < 0.5) + base(1, rng() < 0.5) + base(2, rng() < 0.5) + COMPONENTS;
    const mids: Array<{ dir: string; base: string }> = [];
    for (let i = 0; i < 4; i++) {
      const b = String(Math.floor(rng() * 3));
      const extra = rng() < 0.4 ? '\n' + step(pick(STEPS.slice(PATCHES)), b, `m${i}`, `../comp/c${Math.floor(rng() * 3)}`) : '';
      spec += `//- m${i}/kustomization.yaml\nresources: [../b${b}]${extra}\n`;
      mids.push({ dir: `m${i}`, base: b });
    }
    spec += '//- mm/kustomization.yaml\nresources: [../m0]\n';
    const under = [...mids, { dir: 'mm', base: mids[0].base }];
    const tops: string[] = [];
    for (let i = 0; i < 6; i++) {
      const from = pick(under);
      const keys = new Set<string>();
      const steps: string[] = [];
      for (let j = Math.floor(rng() * 4); j > 0; j--) {
        const s = pick(STEPS);
        const key = s.split(':')[0];
        if (keys.has(key)) continue;
        keys.add(key);
        steps.push(step(s, from.base, `t${i}`, `../../comp/c${Math.floor(rng() * 3)}`));
      }
      spec += `//- t/t${i}/kustomization.yaml\nresources: [../../${from.dir}]\n${steps.join('\n')}\n`;
      tops.push(`t/t${i}`);
    }
    const m = materialize(spec);
    const fleet = loadFleet(m.dir);
    const options = buildOptions(fleet);
    const order = Array.from({ length: 20 }, () => pick([...tops, ...under.map((x) => x.dir)]));
    let version = 0;
    const edit = () => {
      const edits: Array<[string, RegExp, () => string]> = [
        ['b0/deploy.yaml', /img0:\d+/, () => `img0:${++version + 1}`],
        ['b1/svc.yaml', /port: \d+/, () => `port: ${80 + ++version}`],
        ['b2/kustomization.yaml', /a=2\w*/, () => `a=2v${++version}`],
        ['m0/kustomization.yaml', /$/, () => `\n# ${++version}`],
        ['b0/sa.yaml', /sa0( \}|, labels: .*)$/m, () => `sa0, labels: { v: "${++version}" } }`],
      ];
      const [rel, from, to] = pick(edits);
      const file = m.file(rel);
      const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? '';
      const next = text.replace(from, to());
      assert.notEqual(next, text, `seed ${seed}: ${rel} edited`);
      fleet.setOverlay(file, next);
    };
    /** Each folder's last build and the edits made before it. */
    const last = new Map<string, { got: string; version: number }>();
    let kept = new Map<object, string>();
    for (const dir of order) {
      if (rng() < 0.25) edit();
      const got = show(buildKustomization(m.file(dir), options));
      assert.equal(got, show(buildKustomization(m.file(dir), { ...options, innerBuilds: undefined })), `seed ${seed}: ${dir} as made anew`);
      const now = keptBuilds(fleet);
      for (const [e, text] of now) if (kept.has(e)) assert.equal(text, kept.get(e), `seed ${seed}: a kept build changed by building ${dir}`);
      kept = now;
      const before = last.get(dir);
      if (before && before.got !== got) {
        assert.notEqual(before.version, version, `seed ${seed}: ${dir} reads otherwise with nothing edited since`);
        changedByEdits++;
      }
      last.set(dir, { got, version });
      built++;
    }
  }
  // (the trees build, and the edits reach them)
  assert.ok(built === SEEDS * 20 && changedByEdits > 50, `${built} builds, ${changedByEdits} changed by edits`);
});
