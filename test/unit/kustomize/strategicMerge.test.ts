// Strategic merge patches as kustomize applies them, with provenance; and the merge-key table behind them.
// Expectations marked "kubectl" were produced by `kubectl kustomize` (kubectl 1.32, kustomize v5.5.0) on the same base
// and patch (a kustomization with `resources: [base.yaml]` and `patches: [{path: patch.yaml}]`), copied as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { isDeletePatch, strategicMerge, strategicMergeByWalk } from '../../../server/src/core/kustomize/strategicMerge';
import { KustomizeError } from '../../../server/src/core/kustomize/jsonPatch';
import { isBuiltinKind, patchStrategy } from '../../../server/src/core/kustomize/mergeKeys';
import { lastWrite, recordLeaves } from '../../../server/src/core/kustomize/provenance';
import type { JsonObject, Provenance, Resource } from '../../../server/src/core/kustomize/types';
import { stepLayer } from '../../../server/src/core/layer';

const BASE = '/repo/base/deploy.yaml';
const PATCH = '/repo/overlay/patch.yaml';

function resource(yamlText: string): Resource {
  const obj = parse(yamlText) as JsonObject;
  const origin: Provenance = { file: BASE, layer: stepLayer('resource') };
  const r: Resource = { obj, prov: new Map(), origin };
  recordLeaves(r.prov, '', obj, origin);
  return r;
}
/** provOf for tests: the patch pointer is kept in `kustomization` so assertions can name it. */
const provOf = (ptr: string): Provenance => ({ file: PATCH, layer: stepLayer('patches'), kustomization: ptr });
function apply(baseYaml: string, patchYaml: string, options?: Parameters<typeof strategicMerge>[3]): Resource {
  const r = resource(baseYaml);
  strategicMerge(r, parse(patchYaml) as JsonObject, provOf, options);
  return r;
}
/** The writers of a leaf, oldest first: 'base' or the patch pointer. */
const writers = (r: Resource, ptr: string) => (r.prov.get(ptr) ?? []).map((w) => (w.file === BASE ? 'base' : w.kustomization));
/** Every pointer of the provenance map must exist in the object (keys describe the current shape). */
function assertProvMatchesShape(r: Resource): void {
  for (const [ptr, stack] of r.prov) {
    let cur: unknown = r.obj;
    for (const seg of ptr.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      assert.ok(cur !== null && typeof cur === 'object' && seg in (cur as object), `stale provenance key ${ptr}`);
      cur = (cur as Record<string, unknown>)[seg];
    }
    assert.deepEqual(stack[stack.length - 1].value, cur, `last write of ${ptr} is the current value`);
  }
}

const DEPLOY = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  finalizers: [a, b]
spec:
  template:
    spec:
      containers:
      - name: c1
        image: i1
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 81
        env:
        - name: A
          value: a
        - name: B
          value: b
      - name: c2
        image: i2
      tolerations:
      - key: k1
        operator: Exists
`;

test('maps merge recursively; a scalar the patch overrides keeps the base write underneath', () => {
  const r = apply(
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, labels: {app: web, tier: fe}}\nspec: {replicas: 1, paused: false}\n`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, labels: {tier: be, team: x}}\nspec: {replicas: 3}\n`,
  );
  assert.deepEqual(r.obj, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', labels: { app: 'web', tier: 'be', team: 'x' } }, spec: { replicas: 3, paused: false } });
  assert.deepEqual(writers(r, '/spec/replicas'), ['base', '/spec/replicas']);
  assert.equal(lastWrite(r.prov, '/spec/replicas')?.value, 3);
  assert.equal(r.prov.get('/spec/replicas')![0].value, 1);
  assert.deepEqual(writers(r, '/metadata/labels/tier'), ['base', '/metadata/labels/tier']);
  assert.deepEqual(writers(r, '/metadata/labels/team'), ['/metadata/labels/team']);
  assert.deepEqual(writers(r, '/metadata/labels/app'), ['base']);
  assert.deepEqual(writers(r, '/spec/paused'), ['base']);
  // the patch's apiVersion/kind/name only select the target
  assert.deepEqual(writers(r, '/metadata/name'), ['base']);
  assert.deepEqual(writers(r, '/kind'), ['base']);
  assertProvMatchesShape(r);
});

test('null deletes a key and its provenance; null for an absent key adds nothing; {} and [] are added as leaves', () => {
  const r = apply(
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {a: "1", b: "2"}}\ndata: {x: "1", nested: "2"}\n`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: {a: null, zz: null}, annotations: {}}\ndata: null\nbinaryData: {}\nextra: []\n`,
  );
  assert.deepEqual(r.obj, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { b: '2' }, annotations: {} }, binaryData: {}, extra: [] });
  assert.ok(![...r.prov.keys()].some((k) => k.startsWith('/data') || k === '/metadata/labels/a' || k.includes('zz')));
  assert.deepEqual(writers(r, '/metadata/annotations'), ['/metadata/annotations']);
  assert.deepEqual(writers(r, '/binaryData'), ['/binaryData']);
  assert.deepEqual(r.prov.get('/extra')!.map((w) => w.value), [[]]);
  assertProvMatchesShape(r);
});

test('containers merge by name: the patch’s items come first, the rest follow, and provenance is re-keyed (kubectl)', () => {
  const r = apply(
    DEPLOY,
    `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  finalizers: [c, a]
spec:
  template:
    spec:
      containers:
      - name: c3
        image: i3
      - name: c1
        image: i1b
        ports:
        - containerPort: 82
          protocol: TCP
        - containerPort: 80
          protocol: UDP
        - containerPort: 83
        env:
        - name: C
          value: c
        - name: A
          valueFrom: {fieldRef: {fieldPath: x}}
      tolerations:
      - key: k2
        operator: Exists
`,
  );
  // kubectl 1.32 / kustomize v5.5.0 output for this base and patch:
  const kubectl = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"finalizers":["c","a","b"],"name":"app"},"spec":{"template":{"spec":{"containers":[{"image":"i3","name":"c3"},{"env":[{"name":"C","value":"c"},{"name":"A","value":"a","valueFrom":{"fieldRef":{"fieldPath":"x"}}},{"name":"B","value":"b"}],"image":"i1b","name":"c1","ports":[{"containerPort":82,"protocol":"TCP"},{"containerPort":80,"protocol":"UDP"},{"containerPort":83},{"containerPort":80,"protocol":"TCP"},{"containerPort":81}]},{"image":"i2","name":"c2"}],"tolerations":[{"key":"k2","operator":"Exists"}]}}}};
  assert.deepEqual(r.obj, kubectl);
  const c = '/spec/template/spec/containers';
  // new item: written by the patch, with the pointer of that leaf in the patch
  assert.deepEqual(writers(r, `${c}/0/image`), [`${c}/0/image`]);
  // merged item moved from index 0 to 1: its base stack moved with it, the patch's image is on top
  assert.deepEqual(writers(r, `${c}/1/image`), ['base', `${c}/1/image`]);
  assert.equal(r.prov.get(`${c}/1/image`)![0].value, 'i1');
  // untouched item moved from index 1 to 2
  assert.deepEqual(writers(r, `${c}/2/image`), ['base']);
  assert.equal(lastWrite(r.prov, `${c}/2/image`)?.value, 'i2');
  // env: A merged (base value kept, valueFrom added), B moved from 1 to 2
  assert.deepEqual(writers(r, `${c}/1/env/1/value`), ['base']);
  assert.deepEqual(writers(r, `${c}/1/env/1/valueFrom/fieldRef/fieldPath`), [`${c}/1/env/1/valueFrom/fieldRef/fieldPath`]);
  assert.deepEqual(writers(r, `${c}/1/env/2/value`), ['base']);
  // ports: the base's items follow the patch's
  assert.deepEqual(writers(r, `${c}/1/ports/3/protocol`), ['base']);
  assert.deepEqual(writers(r, `${c}/1/ports/0/containerPort`), [`${c}/1/ports/0/containerPort`]);
  // tolerations have no merge key: replaced, the old item's provenance is gone
  assert.deepEqual(writers(r, '/spec/template/spec/tolerations/0/key'), ['/spec/template/spec/tolerations/0/key']);
  // finalizers merge as a set, patch values first
  assert.deepEqual(writers(r, '/metadata/finalizers/0'), ['/metadata/finalizers/0']);
  assert.deepEqual(writers(r, '/metadata/finalizers/2'), ['base']);
  assertProvMatchesShape(r);
});

test('$patch directives on list items, lists and maps (kubectl)', () => {
  const del = apply(DEPLOY, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers:
      - name: c1
        $patch: delete
      - name: c2
        env:
        - name: X
          value: x
`);
  // kubectl: c1 gone, c2 (now index 0) got env
  assert.deepEqual((del.obj as any).spec.template.spec.containers, [{ env: [{ name: 'X', value: 'x' }], image: 'i2', name: 'c2' }]);
  assert.deepEqual(writers(del, '/spec/template/spec/containers/0/image'), ['base']);
  assert.deepEqual(writers(del, '/spec/template/spec/containers/0/env/0/value'), ['/spec/template/spec/containers/1/env/0/value']);
  assertProvMatchesShape(del);

  const rep = apply(DEPLOY, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers:
      - $patch: replace
      - name: c9
        image: i9
`);
  assert.deepEqual((rep.obj as any).spec.template.spec.containers, [{ image: 'i9', name: 'c9' }]);
  // the pointer is the leaf's place in the patch as written, directive element included
  assert.deepEqual(writers(rep, '/spec/template/spec/containers/0/image'), ['/spec/template/spec/containers/1/image']);
  assertProvMatchesShape(rep);

  const mixed = apply(DEPLOY, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      tolerations:
      - $patch: replace
      - key: k9
      containers:
      - name: c1
        $patch: replace
        image: new
      - name: c2
        $patch: merge
        command: [x]
      securityContext:
        $patch: delete
      affinity:
        $patch: replace
        nodeAffinity: {}
`);
  // kubectl 1.32 / kustomize v5.5.0 output:
  const kubectl = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"finalizers":["a","b"],"name":"app"},"spec":{"template":{"spec":{"affinity":{"nodeAffinity":{}},"containers":[{"env":[{"name":"A","value":"a"},{"name":"B","value":"b"}],"image":"i1","name":"c1","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":81}]},{"command":["x"],"image":"i2","name":"c2"}],"tolerations":[{"$patch":"replace"},{"key":"k9"}]}}}};
  // surprises: `$patch: replace` on a keyed item keeps the target's item; on a list without merge key the
  // directive element stays as data; `$patch: delete` on an absent map adds nothing
  assert.deepEqual(mixed.obj, kubectl);
  assert.deepEqual(writers(mixed, '/spec/template/spec/containers/0/image'), ['base']);
  assert.deepEqual(writers(mixed, '/spec/template/spec/affinity/nodeAffinity'), ['/spec/template/spec/affinity/nodeAffinity']);
  assert.deepEqual(writers(mixed, '/spec/template/spec/tolerations/0/$patch'), ['/spec/template/spec/tolerations/0/$patch']);
  assertProvMatchesShape(mixed);

  const repMap = apply(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}}\n`, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {strategy: {$patch: replace, type: Recreate}}\n`);
  assert.deepEqual((repMap.obj as any).spec, { strategy: { type: 'Recreate' } });
  // a replaced subtree loses its old provenance entirely
  assert.deepEqual(writers(repMap, '/spec/strategy/type'), ['/spec/strategy/type']);
  assert.ok(!repMap.prov.has('/spec/strategy/rollingUpdate/maxSurge'));
});

test('$setElementOrder, $deleteFromPrimitiveList and $retainKeys are not implemented by kustomize: they stay as fields (kubectl)', () => {
  const r = apply(DEPLOY, `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  $deleteFromPrimitiveList/finalizers: [a]
spec:
  template:
    spec:
      $setElementOrder/containers:
      - name: c2
      - name: c1
      containers:
      - name: c1
        image: zz
`);
  const obj = r.obj as any;
  assert.deepEqual(obj.metadata, { name: 'app', finalizers: ['a', 'b'], '$deleteFromPrimitiveList/finalizers': ['a'] });
  assert.deepEqual(obj.spec.template.spec['$setElementOrder/containers'], [{ name: 'c2' }, { name: 'c1' }]);
  assert.deepEqual(obj.spec.template.spec.containers.map((c: any) => c.name), ['c1', 'c2']);

  const retain = apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, labels: {a: "1", b: "2"}}
spec:
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  template:
    spec:
      volumes:
      - name: v1
        configMap: {name: cm}
      - name: v2
        emptyDir: {}
      containers:
      - name: c1
        image: i1
        ports:
        - containerPort: 80
          protocol: TCP
        - containerPort: 90
        args: [a, b]
`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, labels: {a: null, c: "3", zz: null}}
spec:
  strategy: {$retainKeys: [type], type: Recreate}
  template:
    spec:
      volumes:
      - name: v1
        $retainKeys: [name, secret]
        secret: {secretName: s}
      containers:
      - name: c1
        args: null
        ports:
        - containerPort: 80
          name: http
        - containerPort: 90
          protocol: UDP
        resources: {}
        newList: []
`);
  // kubectl 1.32 / kustomize v5.5.0 output. Note the ports: both patch items are lost (kyaml's multi-key matching).
  const kubectl = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"b":"2","c":"3"},"name":"app"},"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1},"type":"Recreate"},"template":{"spec":{"containers":[{"image":"i1","name":"c1","newList":[],"ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":90}],"resources":{}}],"volumes":[{"$retainKeys":["name","secret"],"configMap":{"name":"cm"},"name":"v1","secret":{"secretName":"s"}},{"emptyDir":{},"name":"v2"}]}}}};
  assert.deepEqual(retain.obj, kubectl);
  assert.deepEqual(writers(retain, '/spec/template/spec/containers/0/resources'), ['/spec/template/spec/containers/0/resources']);
  assert.ok(!retain.prov.has('/spec/template/spec/containers/0/args/0'));
  assertProvMatchesShape(retain);
});

test('kyaml quirks: a patch item without its merge key empties the list; untouched keyed lists are normalized (kubectl)', () => {
  const wiped = apply(DEPLOY, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - image: nameless\n`);
  // kubectl 1.32 / kustomize v5.5.0 output:
  const kubectlWiped = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"finalizers":["a","b"],"name":"app"},"spec":{"template":{"spec":{"containers":[],"tolerations":[{"key":"k1","operator":"Exists"}]}}}};
  assert.deepEqual(wiped.obj, kubectlWiped);
  // the emptied list is a leaf now, attributed to the patch list that emptied it
  assert.deepEqual(writers(wiped, '/spec/template/spec/containers'), ['/spec/template/spec/containers']);
  assertProvMatchesShape(wiped);

  const normalized = apply(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  finalizers: [a, a, b]
spec:
  template:
    spec:
      containers:
      - name: c1
        env:
        - name: A
          value: "1"
        - name: A
          value: "2"
        - {}
        - value: nokey
      - name: c2
`, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, labels: {x: "y"}}\n`);
  // kubectl 1.32 / kustomize v5.5.0 output: duplicate finalizers collapse, env keeps only the nameless item
  const kubectlNormalized = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"finalizers":["a","b"],"labels":{"x":"y"},"name":"app"},"spec":{"template":{"spec":{"containers":[{"env":[{"value":"nokey"}],"name":"c1"},{"name":"c2"}]}}}};
  assert.deepEqual(normalized.obj, kubectlNormalized);
  // the surviving env item moved from index 3 to 0
  assert.deepEqual(normalized.prov.get('/spec/template/spec/containers/0/env/0/value')!.map((w) => w.value), ['nokey']);
  assert.deepEqual(writers(normalized, '/metadata/finalizers/1'), ['base']);
  assertProvMatchesShape(normalized);
});

test('other built-in kinds: Service ports, ServiceAccount, webhooks, Pod fields newer than the v1.21 schema (kubectl)', () => {
  const svc = apply(
    `apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec:\n  ports:\n  - {port: 80, targetPort: 8080}\n  - {port: 443, protocol: TCP}\n`,
    `apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec:\n  ports:\n  - {port: 80, name: http}\n  - {port: 443, protocol: UDP}\n`,
  );
  // kubectl 1.32 / kustomize v5.5.0 output (ports are keyed by port+protocol):
  assert.deepEqual(svc.obj, {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},"spec":{"ports":[{"port":443,"protocol":"UDP"},{"name":"http","port":80,"targetPort":8080},{"port":443,"protocol":"TCP"}]}});
  assert.deepEqual(writers(svc, '/spec/ports/1/targetPort'), ['base']);
  assert.deepEqual(writers(svc, '/spec/ports/1/name'), ['/spec/ports/0/name']);
  assertProvMatchesShape(svc);

  const sa = apply(`apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\nsecrets: [{name: s1}]\nimagePullSecrets: [{name: p1}]\n`, `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\nsecrets: [{name: s2}]\nimagePullSecrets: [{name: p2}]\n`);
  assert.deepEqual(sa.obj, {"apiVersion":"v1","imagePullSecrets":[{"name":"p2"}],"kind":"ServiceAccount","metadata":{"name":"sa"},"secrets":[{"name":"s2"},{"name":"s1"}]});

  const mw = apply(`apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: mw}\nwebhooks: [{name: w1, sideEffects: None}]\n`, `apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: mw}\nwebhooks: [{name: w2}]\n`);
  assert.deepEqual(mw.obj, {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"mw"},"webhooks":[{"name":"w2"},{"name":"w1","sideEffects":"None"}]});

  const pod = apply(`
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resourceClaims: [{name: a, source: {resourceClaimName: x}}]
  topologySpreadConstraints: [{topologyKey: zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 1}]
  hostAliases: [{ip: 1.1.1.1, hostnames: [a]}]
  imagePullSecrets: [{name: s1}]
  containers:
  - name: c
    volumeMounts: [{mountPath: /a, name: v1}]
    volumeDevices: [{devicePath: /dev/a, name: d1}]
    resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]
  readinessGates: [{conditionType: a}]
`, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resourceClaims: [{name: b, source: {resourceClaimName: "y"}}]
  topologySpreadConstraints: [{topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, maxSkew: 2}]
  hostAliases: [{ip: 1.1.1.1, hostnames: [b]}]
  imagePullSecrets: [{name: s2}]
  containers:
  - name: c
    volumeMounts: [{mountPath: /b, name: v2}]
    volumeDevices: [{devicePath: /dev/b, name: d2}]
    resizePolicy: [{resourceName: memory, restartPolicy: NotRequired}]
  readinessGates: [{conditionType: b}]
`);
  // kubectl 1.32 / kustomize v5.5.0 output: resourceClaims and resizePolicy replace (not in the v1.21 schema)
  assert.deepEqual(pod.obj, {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","resizePolicy":[{"resourceName":"memory","restartPolicy":"NotRequired"}],"volumeDevices":[{"devicePath":"/dev/b","name":"d2"},{"devicePath":"/dev/a","name":"d1"}],"volumeMounts":[{"mountPath":"/b","name":"v2"},{"mountPath":"/a","name":"v1"}]}],"hostAliases":[{"hostnames":["b"],"ip":"1.1.1.1"}],"imagePullSecrets":[{"name":"s2"},{"name":"s1"}],"readinessGates":[{"conditionType":"b"}],"resourceClaims":[{"name":"b","source":{"resourceClaimName":"y"}}],"topologySpreadConstraints":[{"maxSkew":2,"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway"},{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}]}});
  assertProvMatchesShape(pod);
});

test('unknown kinds: maps merge, lists replace, finalizers replace; an embedded Deployment gets its schema back (kubectl)', () => {
  const hr = apply(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: hr, finalizers: [a]}
spec:
  values:
    replicas: 1
    containers: [{name: x, image: old}]
  template:
    apiVersion: apps/v1
    kind: Deployment
    spec: {template: {spec: {containers: [{name: c1, image: i1}]}}}
`, `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: hr, finalizers: [b]}
spec:
  values:
    containers: [{name: "y"}]
  template:
    apiVersion: apps/v1
    kind: Deployment
    spec: {template: {spec: {containers: [{name: c2, image: i2}]}}}
`);
  // kubectl 1.32 / kustomize v5.5.0 output:
  assert.deepEqual(hr.obj, {"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","metadata":{"finalizers":["b"],"name":"hr"},"spec":{"template":{"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":{"containers":[{"image":"i2","name":"c2"},{"image":"i1","name":"c1"}]}}}},"values":{"containers":[{"name":"y"}],"replicas":1}}});
  assert.deepEqual(writers(hr, '/spec/values/replicas'), ['base']);
  assert.deepEqual(writers(hr, '/spec/values/containers/0/name'), ['/spec/values/containers/0/name']);
  assert.deepEqual(writers(hr, '/spec/template/spec/template/spec/containers/1/image'), ['base']);
  assertProvMatchesShape(hr);

  // apps/v1beta2 is not in kustomize's v1.21 schema: containers replace
  const old = apply(`apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: old}\nspec: {template: {spec: {containers: [{name: c1, image: i1}]}}}\n`, `apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: old}\nspec: {template: {spec: {containers: [{name: c2}]}}}\n`);
  assert.deepEqual((old.obj as any).spec.template.spec.containers, [{ name: 'c2' }]);
  // batch/v1beta1 CronJob is: merged under spec.jobTemplate.spec.template
  const cj = apply(`apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: cj}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c1, image: i1}]}}}}}\n`, `apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: cj}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c2}]}}}}}\n`);
  assert.deepEqual((cj.obj as any).spec.jobTemplate.spec.template.spec.containers, [{ name: 'c2' }, { name: 'c1', image: 'i1' }]);
  // a ConfigMap is built in: finalizers merge
  const cm = apply(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, finalizers: [a]}\n`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, finalizers: [b]}\n`);
  assert.deepEqual((cm.obj as any).metadata.finalizers, ['b', 'a']);
});

test('Ingress rules, Role rules and StatefulSet volumeClaimTemplates replace; initContainers and ownerReferences merge (kubectl)', () => {
  const ing = apply(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing}\nspec:\n  rules: [{host: a.example.com}]\n  tls: [{hosts: [a.example.com], secretName: t}]\n`, `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing}\nspec:\n  rules: [{host: b.example.com}]\n  tls: [{hosts: [b.example.com]}]\n`);
  assert.deepEqual(ing.obj, {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"ing"},"spec":{"rules":[{"host":"b.example.com"}],"tls":[{"hosts":["b.example.com"]}]}});
  const role = apply(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [pods], verbs: [get]}]\n`, `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: [list]}]\n`);
  assert.deepEqual((role.obj as any).rules, [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }]);
  const ss = apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ss
  ownerReferences: [{apiVersion: v1, kind: X, name: a, uid: u1}]
spec:
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]
  template:
    spec:
      initContainers: [{name: i1, image: a}]
      ephemeralContainers: [{name: e1, image: a}]
`, `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ss
  ownerReferences: [{apiVersion: v1, kind: "Y", name: b, uid: u2}, {apiVersion: v1, kind: X, name: a2, uid: u1}]
spec:
  volumeClaimTemplates: [{metadata: {name: logs}}]
  template:
    spec:
      initContainers: [{name: i2, image: b}]
      ephemeralContainers: [{name: e1, image: b}]
`);
  // kubectl 1.32 / kustomize v5.5.0 output:
  assert.deepEqual(ss.obj, {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"ss","ownerReferences":[{"apiVersion":"v1","kind":"Y","name":"b","uid":"u2"},{"apiVersion":"v1","kind":"X","name":"a2","uid":"u1"}]},"spec":{"template":{"spec":{"ephemeralContainers":[{"image":"b","name":"e1"}],"initContainers":[{"image":"b","name":"i2"},{"image":"a","name":"i1"}]}},"volumeClaimTemplates":[{"metadata":{"name":"logs"}}]}});
  assert.deepEqual(writers(ss, '/metadata/ownerReferences/1/name'), ['base', '/metadata/ownerReferences/1/name']);
  assertProvMatchesShape(ss);
});

test('the patch’s identity only selects: apiVersion, kind, name and namespace are restored unless allowed (kubectl)', () => {
  const base = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {replicas: 1}\n`;
  const patch = `apiVersion: apps/v9\nkind: StatefulSet\nmetadata: {name: other, namespace: zz, labels: {x: "y"}}\nspec: {replicas: 3}\n`;
  const r = apply(base, patch);
  assert.deepEqual(r.obj, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', labels: { x: 'y' } }, spec: { replicas: 3 } });
  assert.deepEqual(writers(r, '/metadata/name'), ['base']);
  assert.deepEqual(writers(r, '/apiVersion'), ['base']);
  assertProvMatchesShape(r);
  const withNs = apply(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app2, namespace: ns1}\n`, patch);
  assert.equal((withNs.obj as any).metadata.namespace, 'ns1');
  assert.deepEqual(writers(withNs, '/metadata/namespace'), ['base']);
  // options.allowNameChange / allowKindChange: the patch renames (apiVersion stays the target's, namespace too)
  const renamed = apply(base, patch, { allowNameChange: true, allowKindChange: true });
  assert.deepEqual(renamed.obj, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'other', labels: { x: 'y' } }, spec: { replicas: 3 } });
  assert.deepEqual(writers(renamed, '/metadata/name'), ['base', '/metadata/name']);
  assert.deepEqual(writers(renamed, '/kind'), ['base', '/kind']);
});

test('a whole-object $patch: delete empties the target; $patch: replace at the top is a no-op (kubectl)', () => {
  const patch = parse(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n$patch: delete\n`) as JsonObject;
  assert.equal(isDeletePatch(patch), true);
  assert.equal(isDeletePatch(parse(`metadata: {name: app}\nspec: {$patch: delete}\n`) as JsonObject), false);
  const r = resource(DEPLOY);
  strategicMerge(r, patch, provOf);
  assert.deepEqual(r.obj, {});
  assert.equal(r.prov.size, 0);

  const before = resource(DEPLOY);
  const same = resource(DEPLOY);
  strategicMerge(same, parse(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n$patch: replace\nspec: {replicas: 5}\n`) as JsonObject, provOf);
  assert.deepEqual(same.obj, before.obj);
  assert.deepEqual(same.prov, before.prov);
});

test('kind mismatches and unknown directives fail like kustomize, leaving the target untouched', () => {
  const r = resource(DEPLOY);
  const snapshot = structuredClone(r.obj);
  assert.throws(() => strategicMerge(r, parse(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {template: {spec: {containers: {a: 1}}}}\n`) as JsonObject, provOf), (e: unknown) => e instanceof KustomizeError && /^wrong node kind: expected SequenceNode but got MappingNode: node contents:\n/.test(e.message));
  assert.throws(() => strategicMerge(r, parse(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {template: [1]}\n`) as JsonObject, provOf), /^KustomizeError: wrong node kind: expected MappingNode but got SequenceNode/);
  assert.throws(() => strategicMerge(r, parse(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {template: {$patch: bogus}}\n`) as JsonObject, provOf), { name: 'KustomizeError', message: "unknown patch strategy 'bogus'" });
  assert.throws(() => strategicMerge(r, parse(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {template: {spec: {containers: [{$patch: bogus}]}}}\n`) as JsonObject, provOf), { message: "unknown patch strategy 'bogus'" });
  assert.deepEqual(r.obj, snapshot);
});

test('patchStrategy: the merge-key table for built-in kinds, and no schema for CRDs', () => {
  const pod = ['spec', 'template', 'spec'];
  const merge = (key: string, keys = [key]) => ({ strategy: 'merge', key, keys, known: true });
  for (const [apiVersion, kind, prefix] of [
    ['v1', 'Pod', ['spec']],
    ['apps/v1', 'Deployment', pod],
    ['apps/v1', 'StatefulSet', pod],
    ['apps/v1', 'DaemonSet', pod],
    ['apps/v1', 'ReplicaSet', pod],
    ['batch/v1', 'Job', pod],
    ['batch/v1', 'CronJob', ['spec', 'jobTemplate', ...pod]],
    ['v1', 'PodTemplate', ['template', 'spec']],
    ['v1', 'ReplicationController', pod],
  ] as Array<[string, string, string[]]>) {
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'containers']), merge('name'), `${kind} containers`);
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'initContainers']), merge('name'));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'ephemeralContainers']), merge('name'));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'containers', 'env']), merge('name'));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'containers', 0, 'env']), merge('name'), 'indices may be given');
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'containers', 'ports']), merge('containerPort', ['containerPort', 'protocol']));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'initContainers', 'volumeMounts']), merge('mountPath'));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'containers', 'volumeDevices']), merge('devicePath'));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'volumes']), { ...merge('name'), retainKeys: true });
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'imagePullSecrets']), merge('name'));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'hostAliases']), merge('ip'));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'topologySpreadConstraints']), merge('topologyKey', ['topologyKey', 'whenUnsatisfiable']));
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'tolerations']), { strategy: 'replace', known: true });
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'containers', 'args']), { strategy: 'replace', known: true });
    // newer than kustomize's v1.21 schema: replace
    assert.deepEqual(patchStrategy(apiVersion, kind, [...prefix, 'resourceClaims']), { strategy: 'replace', known: true });
  }
  assert.deepEqual(patchStrategy('v1', 'Service', ['spec', 'ports']), merge('port', ['port', 'protocol']));
  assert.deepEqual(patchStrategy('v1', 'ServiceAccount', ['secrets']), merge('name'));
  assert.deepEqual(patchStrategy('v1', 'ServiceAccount', ['imagePullSecrets']), { strategy: 'replace', known: true });
  assert.deepEqual(patchStrategy('v1', 'ConfigMap', ['metadata', 'ownerReferences']), merge('uid'));
  assert.deepEqual(patchStrategy('apps/v1', 'Deployment', ['spec', 'template', 'metadata', 'finalizers']), { strategy: 'merge', keys: [], known: true });
  assert.deepEqual(patchStrategy('rbac.authorization.k8s.io/v1', 'ClusterRole', ['rules']), { strategy: 'replace', known: true });
  assert.deepEqual(patchStrategy('networking.k8s.io/v1', 'Ingress', ['spec', 'rules']), { strategy: 'replace', known: true });
  assert.deepEqual(patchStrategy('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', ['webhooks']), merge('name'));
  assert.deepEqual(patchStrategy('apps/v1', 'Deployment', ['spec', 'strategy']), { strategy: 'replace', retainKeys: true, known: true });
  assert.deepEqual(patchStrategy('helm.toolkit.fluxcd.io/v2', 'HelmRelease', ['spec', 'values', 'containers']), { strategy: 'replace', known: false });
  assert.deepEqual(patchStrategy('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', ['metadata', 'finalizers']), { strategy: 'replace', known: false });
  assert.equal(isBuiltinKind('apps/v1', 'Deployment'), true);
  assert.equal(isBuiltinKind('apps/v1beta2', 'Deployment'), false);
  assert.equal(isBuiltinKind('batch/v1beta1', 'CronJob'), true);
});

// A patch of maps and scalars merges into the target's own values (strategicMergeInPlace.ts) where kyaml's walk would
// leave the rest of the target as it is: the same object (key order included), the same provenance map (entries in
// the same order, the same stacks) and removals as the walk gives. Where the walk would change more, the walk runs.
const FLUX_KS = `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app, namespace: flux-system, labels: {b: "1"}}
spec:
  interval: 10m
  path: ./app
  dependsOn: [{name: infra}, {name: infra}]
  postBuild:
    substitute: {cluster_env: base, zone: a}
    substituteFrom: [{kind: ConfigMap, name: vars}]
  values: {apiVersion: apps/v1, kind: Deployment, spec: {replicas: 1, template: {metadata: {labels: {a: b}}}}}
`;
const FLUX_ID = `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: app}\n`;
const DEPLOY_ID = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n`;
const DEPLOY_PLAIN = `${DEPLOY_ID}spec:\n  template:\n    spec:\n      containers:\n      - {name: c1, image: i1, ports: [{containerPort: 80}, {containerPort: 81}], env: [{name: A, value: a}]}\n      - {name: c2, image: i2, ports: [{containerPort: 80, protocol: TCP}]}\n`;

test('a patch of maps and scalars merges in place exactly as the walk merges it', () => {
  const cases: Array<[string, string]> = [
    [FLUX_KS, `${FLUX_ID}spec: {postBuild: {substitute: {cluster_name: c1, cluster_env: dev, a_first: x}}}`],
    [FLUX_KS, `${FLUX_ID}spec: {timeout: 5m, wait: true, retryInterval: {nested: {deep: 1}}, interval: 1m}`],
    [FLUX_KS, `apiVersion: other/v1\nkind: Kustomization\nmetadata: {name: app, namespace: elsewhere, labels: {a: x, b: y}, annotations: {n: v}}\nspec: {path: ./other}`],
    [FLUX_KS, `${FLUX_ID}`],
    [FLUX_KS, `${FLUX_ID}zzz: {a: 1}\naaa: top\nspec: {values: {spec: {replicas: 2}}}`],
    [`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {replicas: 1, strategy: {type: Recreate}}`, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec: {replicas: 3, strategy: {rollingUpdate: {maxSurge: 1}}}`],
    // lists merged item by item: the patch's items the target's first ones, by their key
    [DEPLOY_PLAIN, `${DEPLOY_ID}spec: {replicas: 2, template: {spec: {containers: [{name: c1, image: x, resources: {requests: {cpu: 1m}}}]}}}`],
    [DEPLOY_PLAIN, `${DEPLOY_ID}spec: {template: {spec: {containers: [{name: c1, env: [{name: A, value: b, z: {y: 1}}]}, {name: c2, image: j}]}}}`],
    [`${DEPLOY_ID.replace('{name: app}', '{name: app, finalizers: [x, y]}')}spec: {replicas: 1}`, `${DEPLOY_ID.replace('{name: app}', '{name: app, labels: {a: b}}')}spec: {paused: true}`],
  ];
  for (const [base, patchYaml] of cases) {
    const walked = resource(base);
    const merged = resource(base);
    const patch = parse(patchYaml) as JsonObject;
    assert.equal(strategicMergeByWalk(walked, patch, provOf), true);
    assert.equal(strategicMerge(merged, patch, provOf), 'inPlace', patchYaml);
    assert.equal(JSON.stringify(merged.obj), JSON.stringify(walked.obj), patchYaml);
    assert.deepEqual([...merged.prov], [...walked.prov], patchYaml);
    assert.deepEqual(merged.removed, walked.removed);
    assertProvMatchesShape(merged);
  }
  // a key the patch adds has the patch's write alone, whatever the map held at its pointer (a stale key is dropped)
  const stale = (): Resource => {
    const r = resource(FLUX_KS);
    r.prov.set('/spec/timeout', [{ file: BASE, layer: stepLayer('resource'), value: 'gone' }]);
    return r;
  };
  const [walked, merged] = [stale(), stale()];
  const added = parse(`${FLUX_ID}spec: {timeout: 5m}`) as JsonObject;
  strategicMergeByWalk(walked, added, provOf);
  assert.equal(strategicMerge(merged, added, provOf), 'inPlace');
  assert.deepEqual([...merged.prov], [...walked.prov]);
  assert.deepEqual(writers(merged, '/spec/timeout'), ['/spec/timeout']);
  // the patch's own values are copied, never shared: a later change of the target leaves the patch as it was
  const patch = parse(`${FLUX_ID}spec: {suspend: {deep: {x: 1}}}`) as JsonObject;
  const r = resource(FLUX_KS);
  strategicMerge(r, patch, provOf);
  ((r.obj.spec as JsonObject).suspend as { deep: { x: number } }).deep.x = 2;
  assert.deepEqual(patch.spec, { suspend: { deep: { x: 1 } } });
});

test('a merge in place copies the maps on the patch paths and shares the rest; the walk takes what it cannot merge in place', () => {
  const r = resource(FLUX_KS);
  const spec = r.obj.spec as JsonObject;
  const before = structuredClone(r.obj);
  strategicMerge(r, parse(`${FLUX_ID}spec: {postBuild: {substitute: {cluster_env: dev}}}`) as JsonObject, provOf);
  assert.notEqual(r.obj.spec, spec, 'a map on the patch path is a copy');
  assert.equal((r.obj.spec as JsonObject).dependsOn, spec.dependsOn, 'a value the patch did not reach is the one it was');
  assert.equal(((r.obj.spec as JsonObject).postBuild as JsonObject).substituteFrom, (spec.postBuild as JsonObject).substituteFrom);
  assert.deepEqual(spec, before.spec, 'the maps it copied are as they were');
  assert.deepEqual(writers(r, '/spec/postBuild/substitute/cluster_env'), ['base', '/spec/postBuild/substitute/cluster_env']);

  const walkOnly: Array<[string, string]> = [
    [FLUX_KS, `${FLUX_ID}spec: {postBuild: {substitute: {zone: null}}}`], // a null deletes
    [FLUX_KS, `${FLUX_ID}spec: {dependsOn: [{name: x}]}`], // a list
    [FLUX_KS, `${FLUX_ID}spec: {postBuild: {$patch: replace, substitute: {a: b}}}`], // a directive
    [FLUX_KS, `${FLUX_ID}spec: {postBuild: {substitute: {}}}`], // an empty map
    [FLUX_KS, `${FLUX_ID}spec: {postBuild: {"7": x}}`], // a new key JavaScript orders first
    [`${FLUX_KS}  suspend: null\n`, `${FLUX_ID}spec: {interval: 1m}`], // the walk deletes the target's null
    [`${DEPLOY_PLAIN.replace('ports: [{containerPort: 80}, {containerPort: 81}]', 'ports: [{containerPort: 80}, {containerPort: 81, protocol: TCP}]')}`, `${DEPLOY_ID}spec: {replicas: 2}`], // items keyed unlike
    [`${FLUX_KS}  other: {apiVersion: v1, kind: Pod, spec: {containers: [{name: a}, {name: a, image: b}]}}\n`, `${FLUX_ID}spec: {interval: 1m}`], // a kind's own schema below: duplicates collapse
    [DEPLOY, `${DEPLOY_ID}spec: {template: {spec: {containers: [{name: c2, image: x}]}}}`], // the patch's item moves first
    [DEPLOY, `${DEPLOY_ID}spec: {template: {spec: {containers: [{name: c1, ports: [{containerPort: 80, name: http}]}]}}}`], // merged by two keys
    [DEPLOY, `${DEPLOY_ID}spec: {template: {spec: {containers: [{image: x}]}}}`], // an item without its key
    [DEPLOY, `${DEPLOY_ID}spec: {template: {spec: {containers: [{name: c1}, {name: c2}, {name: c3}]}}}`], // a new item
    [DEPLOY, `${DEPLOY_ID}spec: {template: {spec: {containers: [{name: c1, $patch: replace}]}}}`], // a directive
    [`${DEPLOY_PLAIN}      - {name: c1}\n`, `${DEPLOY_ID}spec: {replicas: 2}`], // the walk collapses the duplicate
    [`${DEPLOY_PLAIN}      - {image: x}\n`, `${DEPLOY_ID}spec: {replicas: 2}`], // an item without the key
  ];
  for (const [base, patchYaml] of walkOnly) assert.equal(strategicMerge(resource(base), parse(patchYaml) as JsonObject, provOf), 'anew', patchYaml);
});
