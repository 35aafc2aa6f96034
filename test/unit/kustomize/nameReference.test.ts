// kustomize's name reference transformer.
//
// The "kubectl parity" cases are literal outputs of `kubectl kustomize` (kubectl v1.32.4, kustomize v5.5.0),
// obtained by writing each case's files to a temp dir under /tmp and running `kubectl kustomize DIR` on it. The
// driver is a minimal in-memory build of what those cases use: resources (files and base folders), generators,
// namespace, namePrefix/nameSuffix (each recording its renames, as the real build does), then in the root the hash
// suffixes and one updateNameReferences call with every rename, and finally removeBuildAnnotations.
import { describe, test } from 'node:test';
import { pushWrite } from '../../../server/src/core/kustomize/provenance';
import assert from 'node:assert/strict';
import { posix as path } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { generate, type GeneratorSpec } from '../../../server/src/core/kustomize/generators';
import { applyNameSuffixHash, removeBuildAnnotations } from '../../../server/src/core/kustomize/hash';
import {
  defaultNameReferences,
  isClusterScopedForKustomize,
  nameReferencesFromConfig,
  splitFieldPath,
  updateNameReferences,
  type Rename,
} from '../../../server/src/core/kustomize/nameReference';
import type { JsonObject, Resource } from '../../../server/src/core/kustomize/types';
import { layerLabel, stepLayer } from '../../../server/src/core/layer';

const ROOT = '/fleet';
type Files = Record<string, string>;
interface Case {
  name: string;
  files: Files;
  kubectl?: string;
  kubectlError?: string;
  error?: string;
}

type Res = Resource & { prefixes?: string[]; suffixes?: string[] };
const CLUSTER = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume', 'PriorityClass', 'IngressClass', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'CustomResourceDefinition', 'Node']);
const groupOf = (o: JsonObject) => (String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '');
const meta = (r: Resource) => r.obj.metadata as JsonObject;

function level(files: Files, dir: string): { resources: Res[]; renames: Rename[]; k: Record<string, unknown> } {
  const kfile = path.join(dir, 'kustomization.yaml');
  const k = (parse(files[path.relative(ROOT, kfile)]) ?? {}) as Record<string, unknown>;
  const resources: Res[] = [];
  const renames: Rename[] = [];
  for (const r of (k.resources as string[] | undefined) ?? []) {
    const rel = path.relative(ROOT, path.resolve(dir, r));
    if (files[rel] === undefined) {
      const sub = level(files, path.resolve(dir, r));
      resources.push(...sub.resources);
      renames.push(...sub.renames);
      continue;
    }
    for (const d of parseAllDocuments(files[rel])) {
      const obj = d.toJS() as JsonObject | null;
      if (obj) resources.push({ obj, prov: new Map([['/metadata/name', [{ file: path.join(ROOT, rel), layer: stepLayer('resource'), value: obj.metadata ? (obj.metadata as JsonObject).name ?? null : null }]]]), origin: { file: path.join(ROOT, rel), layer: stepLayer('resource') } });
    }
  }
  for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
    for (const spec of (k[field] as GeneratorSpec[] | undefined) ?? []) resources.push(generate(kind, spec, kfile, undefined, () => undefined).resource!);
  }
  if (typeof k.namespace === 'string') {
    for (const r of resources) {
      if (CLUSTER.has(String(r.obj.kind))) continue;
      const old = meta(r).namespace as string | undefined;
      meta(r).namespace = k.namespace;
      if (old !== k.namespace) renames.push({ kind: String(r.obj.kind), group: groupOf(r.obj), oldName: String(meta(r).name), newName: String(meta(r).name), namespace: k.namespace, oldNamespace: old ?? '' });
    }
  }
  const prefix = (k.namePrefix as string | undefined) ?? '';
  const suffix = (k.nameSuffix as string | undefined) ?? '';
  if (prefix || suffix) {
    for (const r of resources) {
      const old = String(meta(r).name);
      meta(r).name = prefix + old + suffix;
      if (prefix) (r.prefixes ??= []).push(prefix);
      if (suffix) (r.suffixes ??= []).push(suffix);
      if (r.prov.has('/metadata/name')) pushWrite(r.prov, '/metadata/name', { file: kfile, layer: stepLayer('namePrefix'), value: String(meta(r).name) });
      renames.push({ kind: String(r.obj.kind), group: groupOf(r.obj), oldName: old, newName: String(meta(r).name), namespace: meta(r).namespace as string | undefined });
    }
  }
  return { resources, renames, k };
}

function build(files: Files, useAffixes = true) {
  const { resources, renames, k } = level(files, ROOT);
  for (const r of resources) {
    const h = applyNameSuffixHash(r);
    if (h) renames.push(h);
  }
  const configs = ((k.configurations as string[] | undefined) ?? []).map((c) => files[c]);
  const result = updateNameReferences(resources, renames, configs, useAffixes ? { affixesOf: (r: Res) => ({ prefixes: r.prefixes ?? [], suffixes: r.suffixes ?? [] }) } : {});
  for (const r of resources) removeBuildAnnotations(r);
  return { resources, result };
}

const sortKey = (o: JsonObject) => `${String(o.apiVersion)}|${String(o.kind)}|${String((o.metadata as JsonObject).namespace ?? '')}|${String((o.metadata as JsonObject).name)}`;
const sorted = (list: JsonObject[]) => [...list].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

// prettier-ignore
const CASES: Case[] = [
  {
    name: "workloads",
    files: {
      "kustomization.yaml": `namePrefix: p-
resources: [r.yaml]
configMapGenerator:
- name: cm
  literals: [a=1]
secretGenerator:
- name: sec
  literals: [a=1]
`,
      "r.yaml": `apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: fast
  volumeName: pv1
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        - name: S
          valueFrom:
            secretKeyRef: {name: sec, key: a}
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef: {name: cm}
        - secretRef: {name: sec}
        - configMapRef: {name: unrelated}
      initContainers:
      - name: init
        image: busybox
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        envFrom:
        - secretRef: {name: sec}
      imagePullSecrets:
      - name: sec
      - name: external-pull
      serviceAccountName: sa
      volumes:
      - name: v1
        configMap: {name: cm}
      - name: v2
        secret: {secretName: sec}
      - name: v3
        projected:
          sources:
          - configMap: {name: cm}
          - secret: {name: sec}
      - name: v4
        persistentVolumeClaim: {claimName: data}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ss}
spec:
  serviceName: svc
  volumeClaimTemplates:
  - metadata: {name: vct}
    spec: {storageClassName: fast}
  template:
    spec:
      containers:
      - name: app
        image: nginx
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        - name: S
          valueFrom:
            secretKeyRef: {name: sec, key: a}
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef: {name: cm}
        - secretRef: {name: sec}
        - configMapRef: {name: unrelated}
      initContainers:
      - name: init
        image: busybox
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        envFrom:
        - secretRef: {name: sec}
      imagePullSecrets:
      - name: sec
      - name: external-pull
      serviceAccountName: sa
      volumes:
      - name: v1
        configMap: {name: cm}
      - name: v2
        secret: {secretName: sec}
      - name: v3
        projected:
          sources:
          - configMap: {name: cm}
          - secret: {name: sec}
      - name: v4
        persistentVolumeClaim: {claimName: data}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        - name: S
          valueFrom:
            secretKeyRef: {name: sec, key: a}
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef: {name: cm}
        - secretRef: {name: sec}
        - configMapRef: {name: unrelated}
      initContainers:
      - name: init
        image: busybox
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        envFrom:
        - secretRef: {name: sec}
      imagePullSecrets:
      - name: sec
      - name: external-pull
      serviceAccountName: sa
      volumes:
      - name: v1
        configMap: {name: cm}
      - name: v2
        secret: {secretName: sec}
      - name: v3
        projected:
          sources:
          - configMap: {name: cm}
          - secret: {name: sec}
      - name: v4
        persistentVolumeClaim: {claimName: data}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        - name: S
          valueFrom:
            secretKeyRef: {name: sec, key: a}
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef: {name: cm}
        - secretRef: {name: sec}
        - configMapRef: {name: unrelated}
      initContainers:
      - name: init
        image: busybox
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        envFrom:
        - secretRef: {name: sec}
      imagePullSecrets:
      - name: sec
      - name: external-pull
      serviceAccountName: sa
      volumes:
      - name: v1
        configMap: {name: cm}
      - name: v2
        secret: {secretName: sec}
      - name: v3
        projected:
          sources:
          - configMap: {name: cm}
          - secret: {name: sec}
      - name: v4
        persistentVolumeClaim: {claimName: data}
---
apiVersion: batch/v1
kind: Job
metadata: {name: job}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        - name: S
          valueFrom:
            secretKeyRef: {name: sec, key: a}
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef: {name: cm}
        - secretRef: {name: sec}
        - configMapRef: {name: unrelated}
      initContainers:
      - name: init
        image: busybox
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        envFrom:
        - secretRef: {name: sec}
      imagePullSecrets:
      - name: sec
      - name: external-pull
      serviceAccountName: sa
      volumes:
      - name: v1
        configMap: {name: cm}
      - name: v2
        secret: {secretName: sec}
      - name: v3
        projected:
          sources:
          - configMap: {name: cm}
          - secret: {name: sec}
      - name: v4
        persistentVolumeClaim: {claimName: data}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: app
            image: nginx
            env:
            - name: A
              valueFrom:
                configMapKeyRef: {name: cm, key: a}
            - name: S
              valueFrom:
                secretKeyRef: {name: sec, key: a}
            - name: PLAIN
              value: cm
            envFrom:
            - configMapRef: {name: cm}
            - secretRef: {name: sec}
            - configMapRef: {name: unrelated}
          initContainers:
          - name: init
            image: busybox
            env:
            - name: A
              valueFrom:
                configMapKeyRef: {name: cm, key: a}
            envFrom:
            - secretRef: {name: sec}
          imagePullSecrets:
          - name: sec
          - name: external-pull
          serviceAccountName: sa
          volumes:
          - name: v1
            configMap: {name: cm}
          - name: v2
            secret: {secretName: sec}
          - name: v3
            projected:
              sources:
              - configMap: {name: cm}
              - secret: {name: sec}
          - name: v4
            persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: Pod
metadata: {name: pod}
spec:
  priorityClassName: high
  containers:
  - name: app
    image: nginx
    env:
    - name: A
      valueFrom:
        configMapKeyRef: {name: cm, key: a}
    - name: S
      valueFrom:
        secretKeyRef: {name: sec, key: a}
    - name: PLAIN
      value: cm
    envFrom:
    - configMapRef: {name: cm}
    - secretRef: {name: sec}
    - configMapRef: {name: unrelated}
  initContainers:
  - name: init
    image: busybox
    env:
    - name: A
      valueFrom:
        configMapKeyRef: {name: cm, key: a}
    envFrom:
    - secretRef: {name: sec}
  imagePullSecrets:
  - name: sec
  - name: external-pull
  serviceAccountName: sa
  volumes:
  - name: v1
    configMap: {name: cm}
  - name: v2
    secret: {secretName: sec}
  - name: v3
    projected:
      sources:
      - configMap: {name: cm}
      - secret: {name: sec}
  - name: v4
    persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: pt}
template:
  spec:
    containers:
    - name: app
      image: nginx
      env:
      - name: A
        valueFrom:
          configMapKeyRef: {name: cm, key: a}
      - name: S
        valueFrom:
          secretKeyRef: {name: sec, key: a}
      - name: PLAIN
        value: cm
      envFrom:
      - configMapRef: {name: cm}
      - secretRef: {name: sec}
      - configMapRef: {name: unrelated}
    initContainers:
    - name: init
      image: busybox
      env:
      - name: A
        valueFrom:
          configMapKeyRef: {name: cm, key: a}
      envFrom:
      - secretRef: {name: sec}
    imagePullSecrets:
    - name: sec
    - name: external-pull
    serviceAccountName: sa
    volumes:
    - name: v1
      configMap: {name: cm}
    - name: v2
      secret: {secretName: sec}
    - name: v3
      projected:
        sources:
        - configMap: {name: cm}
        - secret: {name: sec}
    - name: v4
      persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        - name: S
          valueFrom:
            secretKeyRef: {name: sec, key: a}
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef: {name: cm}
        - secretRef: {name: sec}
        - configMapRef: {name: unrelated}
      initContainers:
      - name: init
        image: busybox
        env:
        - name: A
          valueFrom:
            configMapKeyRef: {name: cm, key: a}
        envFrom:
        - secretRef: {name: sec}
      imagePullSecrets:
      - name: sec
      - name: external-pull
      serviceAccountName: sa
      volumes:
      - name: v1
        configMap: {name: cm}
      - name: v2
        secret: {secretName: sec}
      - name: v3
        projected:
          sources:
          - configMap: {name: cm}
          - secret: {name: sec}
      - name: v4
        persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec:
  selector: {app: x}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: x
parameters:
  secretName: sec
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  storageClassName: fast
  azureFile: {secretName: sec}
`,
    },
    kubectl: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: p-fast
parameters:
  secretName: p-sec-25khgmg44c
provisioner: x
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa
---
apiVersion: v1
data:
  a: "1"
kind: ConfigMap
metadata:
  name: p-cm-h29d89cmmt
---
apiVersion: v1
data:
  a: MQ==
kind: Secret
metadata:
  name: p-sec-25khgmg44c
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  name: p-svc
spec:
  selector:
    app: x
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: p-high
value: 1000
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: p-pv1
spec:
  azureFile:
    secretName: p-sec-25khgmg44c
  storageClassName: p-fast
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: p-data
spec:
  storageClassName: p-fast
  volumeName: p-pv1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-d
spec:
  template:
    spec:
      containers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        - name: S
          valueFrom:
            secretKeyRef:
              key: a
              name: p-sec-25khgmg44c
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef:
            name: p-cm-h29d89cmmt
        - secretRef:
            name: p-sec-25khgmg44c
        - configMapRef:
            name: unrelated
        image: nginx
        name: app
      imagePullSecrets:
      - name: p-sec-25khgmg44c
      - name: external-pull
      initContainers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        envFrom:
        - secretRef:
            name: p-sec-25khgmg44c
        image: busybox
        name: init
      serviceAccountName: p-sa
      volumes:
      - configMap:
          name: p-cm-h29d89cmmt
        name: v1
      - name: v2
        secret:
          secretName: p-sec-25khgmg44c
      - name: v3
        projected:
          sources:
          - configMap:
              name: p-cm-h29d89cmmt
          - secret:
              name: p-sec-25khgmg44c
      - name: v4
        persistentVolumeClaim:
          claimName: p-data
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: p-ss
spec:
  serviceName: p-svc
  template:
    spec:
      containers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        - name: S
          valueFrom:
            secretKeyRef:
              key: a
              name: p-sec-25khgmg44c
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef:
            name: p-cm-h29d89cmmt
        - secretRef:
            name: p-sec-25khgmg44c
        - configMapRef:
            name: unrelated
        image: nginx
        name: app
      imagePullSecrets:
      - name: p-sec-25khgmg44c
      - name: external-pull
      initContainers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        envFrom:
        - secretRef:
            name: p-sec-25khgmg44c
        image: busybox
        name: init
      serviceAccountName: p-sa
      volumes:
      - configMap:
          name: p-cm-h29d89cmmt
        name: v1
      - name: v2
        secret:
          secretName: p-sec-25khgmg44c
      - name: v3
        projected:
          sources:
          - configMap:
              name: p-cm-h29d89cmmt
          - secret:
              name: p-sec-25khgmg44c
      - name: v4
        persistentVolumeClaim:
          claimName: p-data
  volumeClaimTemplates:
  - metadata:
      name: vct
    spec:
      storageClassName: p-fast
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: p-cj
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - env:
            - name: A
              valueFrom:
                configMapKeyRef:
                  key: a
                  name: p-cm-h29d89cmmt
            - name: S
              valueFrom:
                secretKeyRef:
                  key: a
                  name: p-sec-25khgmg44c
            - name: PLAIN
              value: cm
            envFrom:
            - configMapRef:
                name: p-cm-h29d89cmmt
            - secretRef:
                name: p-sec-25khgmg44c
            - configMapRef:
                name: unrelated
            image: nginx
            name: app
          imagePullSecrets:
          - name: p-sec-25khgmg44c
          - name: external-pull
          initContainers:
          - env:
            - name: A
              valueFrom:
                configMapKeyRef:
                  key: a
                  name: p-cm-h29d89cmmt
            envFrom:
            - secretRef:
                name: p-sec-25khgmg44c
            image: busybox
            name: init
          serviceAccountName: p-sa
          volumes:
          - configMap:
              name: p-cm-h29d89cmmt
            name: v1
          - name: v2
            secret:
              secretName: p-sec-25khgmg44c
          - name: v3
            projected:
              sources:
              - configMap:
                  name: p-cm-h29d89cmmt
              - secret:
                  name: p-sec-25khgmg44c
          - name: v4
            persistentVolumeClaim:
              claimName: p-data
  schedule: '* * * * *'
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: p-ds
spec:
  template:
    spec:
      containers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        - name: S
          valueFrom:
            secretKeyRef:
              key: a
              name: p-sec-25khgmg44c
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef:
            name: p-cm-h29d89cmmt
        - secretRef:
            name: p-sec-25khgmg44c
        - configMapRef:
            name: unrelated
        image: nginx
        name: app
      imagePullSecrets:
      - name: p-sec-25khgmg44c
      - name: external-pull
      initContainers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        envFrom:
        - secretRef:
            name: p-sec-25khgmg44c
        image: busybox
        name: init
      serviceAccountName: p-sa
      volumes:
      - configMap:
          name: p-cm-h29d89cmmt
        name: v1
      - name: v2
        secret:
          secretName: p-sec-25khgmg44c
      - name: v3
        projected:
          sources:
          - configMap:
              name: p-cm-h29d89cmmt
          - secret:
              name: p-sec-25khgmg44c
      - name: v4
        persistentVolumeClaim:
          claimName: p-data
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: p-rs
spec:
  template:
    spec:
      containers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        - name: S
          valueFrom:
            secretKeyRef:
              key: a
              name: p-sec-25khgmg44c
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef:
            name: p-cm-h29d89cmmt
        - secretRef:
            name: p-sec-25khgmg44c
        - configMapRef:
            name: unrelated
        image: nginx
        name: app
      imagePullSecrets:
      - name: p-sec-25khgmg44c
      - name: external-pull
      initContainers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        envFrom:
        - secretRef:
            name: p-sec-25khgmg44c
        image: busybox
        name: init
      serviceAccountName: sa
      volumes:
      - configMap:
          name: p-cm-h29d89cmmt
        name: v1
      - name: v2
        secret:
          secretName: p-sec-25khgmg44c
      - name: v3
        projected:
          sources:
          - configMap:
              name: p-cm-h29d89cmmt
          - secret:
              name: p-sec-25khgmg44c
      - name: v4
        persistentVolumeClaim:
          claimName: data
---
apiVersion: batch/v1
kind: Job
metadata:
  name: p-job
spec:
  template:
    spec:
      containers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        - name: S
          valueFrom:
            secretKeyRef:
              key: a
              name: p-sec-25khgmg44c
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef:
            name: p-cm-h29d89cmmt
        - secretRef:
            name: p-sec-25khgmg44c
        - configMapRef:
            name: unrelated
        image: nginx
        name: app
      imagePullSecrets:
      - name: p-sec-25khgmg44c
      - name: external-pull
      initContainers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cm-h29d89cmmt
        envFrom:
        - secretRef:
            name: p-sec-25khgmg44c
        image: busybox
        name: init
      serviceAccountName: p-sa
      volumes:
      - configMap:
          name: p-cm-h29d89cmmt
        name: v1
      - name: v2
        secret:
          secretName: p-sec-25khgmg44c
      - name: v3
        projected:
          sources:
          - configMap:
              name: p-cm-h29d89cmmt
          - secret:
              name: p-sec-25khgmg44c
      - name: v4
        persistentVolumeClaim:
          claimName: p-data
---
apiVersion: v1
kind: Pod
metadata:
  name: p-pod
spec:
  containers:
  - env:
    - name: A
      valueFrom:
        configMapKeyRef:
          key: a
          name: p-cm-h29d89cmmt
    - name: S
      valueFrom:
        secretKeyRef:
          key: a
          name: p-sec-25khgmg44c
    - name: PLAIN
      value: cm
    envFrom:
    - configMapRef:
        name: p-cm-h29d89cmmt
    - secretRef:
        name: p-sec-25khgmg44c
    - configMapRef:
        name: unrelated
    image: nginx
    name: app
  imagePullSecrets:
  - name: p-sec-25khgmg44c
  - name: external-pull
  initContainers:
  - env:
    - name: A
      valueFrom:
        configMapKeyRef:
          key: a
          name: p-cm-h29d89cmmt
    envFrom:
    - secretRef:
        name: p-sec-25khgmg44c
    image: busybox
    name: init
  priorityClassName: p-high
  serviceAccountName: p-sa
  volumes:
  - configMap:
      name: p-cm-h29d89cmmt
    name: v1
  - name: v2
    secret:
      secretName: p-sec-25khgmg44c
  - name: v3
    projected:
      sources:
      - configMap:
          name: p-cm-h29d89cmmt
      - secret:
          name: p-sec-25khgmg44c
  - name: v4
    persistentVolumeClaim:
      claimName: p-data
---
apiVersion: v1
kind: PodTemplate
metadata:
  name: p-pt
template:
  spec:
    containers:
    - env:
      - name: A
        valueFrom:
          configMapKeyRef:
            key: a
            name: p-cm-h29d89cmmt
      - name: S
        valueFrom:
          secretKeyRef:
            key: a
            name: p-sec-25khgmg44c
      - name: PLAIN
        value: cm
      envFrom:
      - configMapRef:
          name: p-cm-h29d89cmmt
      - secretRef:
          name: p-sec-25khgmg44c
      - configMapRef:
          name: unrelated
      image: nginx
      name: app
    imagePullSecrets:
    - name: p-sec-25khgmg44c
    - name: external-pull
    initContainers:
    - env:
      - name: A
        valueFrom:
          configMapKeyRef:
            key: a
            name: p-cm-h29d89cmmt
      envFrom:
      - secretRef:
          name: p-sec-25khgmg44c
      image: busybox
      name: init
    serviceAccountName: sa
    volumes:
    - configMap:
        name: p-cm-h29d89cmmt
      name: v1
    - name: v2
      secret:
        secretName: p-sec-25khgmg44c
    - name: v3
      projected:
        sources:
        - configMap:
            name: p-cm-h29d89cmmt
        - secret:
            name: p-sec-25khgmg44c
    - name: v4
      persistentVolumeClaim:
        claimName: data
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: p-rc
spec:
  template:
    spec:
      containers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: cm
        - name: S
          valueFrom:
            secretKeyRef:
              key: a
              name: sec
        - name: PLAIN
          value: cm
        envFrom:
        - configMapRef:
            name: cm
        - secretRef:
            name: sec
        - configMapRef:
            name: unrelated
        image: nginx
        name: app
      imagePullSecrets:
      - name: sec
      - name: external-pull
      initContainers:
      - env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: a
              name: cm
        envFrom:
        - secretRef:
            name: sec
        image: busybox
        name: init
      serviceAccountName: p-sa
      volumes:
      - configMap:
          name: cm
        name: v1
      - name: v2
        secret:
          secretName: sec
      - name: v3
        projected:
          sources:
          - configMap:
              name: cm
          - secret:
              name: sec
      - name: v4
        persistentVolumeClaim:
          claimName: p-data
`,
  },
  {
    name: "network-rbac",
    files: {
      "kustomization.yaml": `namePrefix: p-
nameSuffix: -s
resources: [r.yaml]
configMapGenerator:
- name: cm
  literals: [a=1]
secretGenerator:
- name: sec
  literals: [a=1]
`,
      "r.yaml": `apiVersion: v1
kind: Service
metadata: {name: svc}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
  annotations:
    nginx.ingress.kubernetes.io/auth-secret: sec
    nginx.ingress.kubernetes.io/auth-tls-secret: sec
    ingress.kubernetes.io/auth-secret: sec
    nginx.ingress.kubernetes.io/fastcgi-params-configmap: cm
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: svc, port: {number: 80}}
  tls:
  - secretName: sec
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: svc, port: {number: 80}}
      - path: /other
        pathType: Prefix
        backend:
          service: {name: other, port: {number: 80}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: x}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
imagePullSecrets:
- name: sec
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: role}
rules:
- apiGroups: [""]
  resources: [configmaps, secrets]
  resourceNames: [cm, sec, other]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: crole}
rules:
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [cm]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: role}
subjects:
- {kind: ServiceAccount, name: sa}
- {kind: User, name: sa}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb2}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: crole}
subjects:
- {kind: ServiceAccount, name: sa, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: crole}
subjects:
- {kind: ServiceAccount, name: sa, namespace: default}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: vwc}
webhooks:
- name: a.example.com
  clientConfig:
    service: {name: svc, namespace: default, path: /v}
- name: b.example.com
  clientConfig:
    service: {name: svc, namespace: elsewhere}
`,
    },
    kubectl: `apiVersion: v1
imagePullSecrets:
- name: p-sec-s-25khgmg44c
kind: ServiceAccount
metadata:
  name: p-sa-s
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: p-role-s
rules:
- apiGroups:
  - ""
  resourceNames:
  - p-cm-s-h29d89cmmt
  - p-sec-s-25khgmg44c
  - other
  resources:
  - configmaps
  - secrets
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: p-crole-s
rules:
- apiGroups:
  - ""
  resourceNames:
  - p-cm-s-h29d89cmmt
  resources:
  - configmaps
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: p-rb-s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: p-role-s
subjects:
- kind: ServiceAccount
  name: p-sa-s
- kind: User
  name: p-sa-s
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: p-rb2-s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: p-crole-s
subjects:
- kind: ServiceAccount
  name: p-sa-s
  namespace: default
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: p-crb-s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: p-crole-s
subjects:
- kind: ServiceAccount
  name: p-sa-s
  namespace: default
---
apiVersion: v1
data:
  a: "1"
kind: ConfigMap
metadata:
  name: p-cm-s-h29d89cmmt
---
apiVersion: v1
data:
  a: MQ==
kind: Secret
metadata:
  name: p-sec-s-25khgmg44c
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  name: p-svc-s
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-web-s
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: p-hpa-s
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: p-web-s
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    ingress.kubernetes.io/auth-secret: p-sec-s-25khgmg44c
    nginx.ingress.kubernetes.io/auth-secret: p-sec-s-25khgmg44c
    nginx.ingress.kubernetes.io/auth-tls-secret: p-sec-s-25khgmg44c
    nginx.ingress.kubernetes.io/fastcgi-params-configmap: p-cm-s-h29d89cmmt
  name: p-ing-s
spec:
  defaultBackend:
    service:
      name: p-svc-s
      port:
        number: 80
  ingressClassName: nginx
  rules:
  - http:
      paths:
      - backend:
          service:
            name: p-svc-s
            port:
              number: 80
        path: /
        pathType: Prefix
      - backend:
          service:
            name: other
            port:
              number: 80
        path: /other
        pathType: Prefix
  tls:
  - secretName: p-sec-s-25khgmg44c
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: p-nginx-s
spec:
  controller: x
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: p-vwc-s
webhooks:
- clientConfig:
    service:
      name: p-svc-s
      namespace: default
      path: /v
  name: a.example.com
- clientConfig:
    service:
      name: svc
      namespace: elsewhere
  name: b.example.com
`,
  },
  {
    name: "roleref-kind",
    files: {
      "kustomization.yaml": `resources: [base, r.yaml]
`,
      "base/kustomization.yaml": `namePrefix: b-
resources: [r.yaml]
`,
      "base/r.yaml": `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
`,
      "r.yaml": `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-cluster}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-role}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
`,
    },
    kubectl: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: b-r
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: r
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: to-cluster
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: r
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: to-role
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: b-r
`,
  },
  {
    name: "namespaces",
    files: {
      "kustomization.yaml": `resources: [r.yaml]
configMapGenerator:
- name: cm
  namespace: a
  literals: [x=1]
- name: cm
  namespace: c
  literals: [x=2]
`,
      "r.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: a}
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap: {name: cm}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: b}
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap: {name: cm}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: c}
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap: {name: cm}
`,
    },
    kubectl: `apiVersion: v1
data:
  x: "1"
kind: ConfigMap
metadata:
  name: cm-hmg6f82fh6
  namespace: a
---
apiVersion: v1
data:
  x: "2"
kind: ConfigMap
metadata:
  name: cm-d5gm26dhhd
  namespace: c
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: a
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: cm-hmg6f82fh6
        name: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: b
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: cm
        name: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: c
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: cm-d5gm26dhhd
        name: v
`,
  },
  {
    name: "namespaces-ambiguous",
    files: {
      "kustomization.yaml": `resources: [r.yaml]
configMapGenerator:
- name: cm
  namespace: a
  literals: [x=1]
- name: cm
  namespace: c
  literals: [x=2]
`,
      "r.yaml": `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
rules:
- resources: [configmaps]
  resourceNames: [cm]
`,
    },
    kubectlError: "updating name reference in 'rules/resourceNames' field of 'ClusterRole.v1.rbac.authorization.k8s.io/cr.[noNs]': … found multiple possible referrals: ConfigMap.v1.[noGrp]/cm-hmg6f82fh6.a, ConfigMap.v1.[noGrp]/cm-d5gm26dhhd.c",
    error: "found multiple possible referrals for ConfigMap cm: ConfigMap a/cm-hmg6f82fh6, ConfigMap c/cm-d5gm26dhhd",
  },
  {
    name: "default-ns",
    files: {
      "kustomization.yaml": `resources: [r.yaml]
configMapGenerator:
- name: cm
  literals: [x=1]
- name: cm2
  namespace: default
  literals: [x=2]
`,
      "r.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: default}
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap: {name: cm}
      - name: w
        configMap: {name: cm2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: e}
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap: {name: cm}
      - name: w
        configMap: {name: cm2}
`,
    },
    kubectl: `apiVersion: v1
data:
  x: "2"
kind: ConfigMap
metadata:
  name: cm2-d5gm26dhhd
  namespace: default
---
apiVersion: v1
data:
  x: "1"
kind: ConfigMap
metadata:
  name: cm-hmg6f82fh6
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: default
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: cm-hmg6f82fh6
        name: v
      - configMap:
          name: cm2-d5gm26dhhd
        name: w
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: e
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: cm-hmg6f82fh6
        name: v
      - configMap:
          name: cm2-d5gm26dhhd
        name: w
`,
  },
  {
    name: "sa-other-ns",
    files: {
      "kustomization.yaml": `namePrefix: p-
resources: [r.yaml]
`,
      "r.yaml": `apiVersion: v1
kind: ServiceAccount
metadata: {name: sa, namespace: other}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa2, namespace: other}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: mine}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: sa, namespace: other}
- {kind: ServiceAccount, name: sa2}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: mine}
spec:
  serviceAccountName: sa
  containers: [{name: c, image: x}]
`,
    },
    kubectl: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa
  namespace: other
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa2
  namespace: other
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: p-rb
  namespace: mine
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: p-sa
  namespace: other
- kind: ServiceAccount
  name: p-sa2
  namespace: other
---
apiVersion: v1
kind: Pod
metadata:
  name: p-p
  namespace: mine
spec:
  containers:
  - image: x
    name: c
  serviceAccountName: sa
`,
  },
  {
    name: "configurations",
    files: {
      "kustomization.yaml": `resources: [r.yaml]
configurations: [nameref.yaml]
configMapGenerator:
- name: cm
  literals: [a=1]
secretGenerator:
- name: sec
  literals: [a=1]
`,
      "nameref.yaml": `nameReference:
- kind: ConfigMap
  version: v1
  fieldSpecs:
  - path: spec/valuesFrom/name
    kind: HelmRelease
- kind: Secret
  version: v1
  fieldSpecs:
  - path: spec/valuesFrom/name
    kind: HelmRelease
  - path: spec/secretRef/name
    kind: GitRepository
    group: source.toolkit.fluxcd.io
- kind: Service
  fieldSpecs:
  - path: spec/targets
    kind: Probe
`,
      "r.yaml": `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: hr}
spec:
  valuesFrom:
  - kind: ConfigMap
    name: cm
  - kind: Secret
    name: sec
  - kind: ConfigMap
    name: other
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo}
spec:
  secretRef: {name: sec}
---
apiVersion: other.io/v1
kind: GitRepository
metadata: {name: repo}
spec:
  secretRef: {name: sec}
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
kind: ConfigMap
metadata:
  name: cm-h29d89cmmt
---
apiVersion: v1
data:
  a: MQ==
kind: Secret
metadata:
  name: sec-25khgmg44c
type: Opaque
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: hr
spec:
  valuesFrom:
  - kind: ConfigMap
    name: cm-h29d89cmmt
  - kind: Secret
    name: sec-25khgmg44c
  - kind: ConfigMap
    name: other
---
apiVersion: other.io/v1
kind: GitRepository
metadata:
  name: repo
spec:
  secretRef:
    name: sec
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: repo
spec:
  secretRef:
    name: sec-25khgmg44c
`,
  },
  {
    name: "same-name-kinds",
    files: {
      "kustomization.yaml": `resources: [r.yaml]
configMapGenerator:
- name: creds
  literals: [a=1]
secretGenerator:
- name: creds
  literals: [a=2]
`,
      "r.yaml": `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: x
    envFrom:
    - configMapRef: {name: creds}
    - secretRef: {name: creds}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules:
- resourceNames: [creds]
`,
    },
    kubectl: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
rules:
- resourceNames:
  - creds-h29d89cmmt
---
apiVersion: v1
data:
  a: "1"
kind: ConfigMap
metadata:
  name: creds-h29d89cmmt
---
apiVersion: v1
data:
  a: Mg==
kind: Secret
metadata:
  name: creds-gbt62kg52d
type: Opaque
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - envFrom:
    - configMapRef:
        name: creds-h29d89cmmt
    - secretRef:
        name: creds-gbt62kg52d
    image: x
    name: c
`,
  },
  {
    name: "two-prefixes",
    files: {
      "kustomization.yaml": `resources: [a, b]
`,
      "a/kustomization.yaml": `namePrefix: a-
resources: [../common]
`,
      "b/kustomization.yaml": `namePrefix: b-
resources: [../common]
`,
      "common/kustomization.yaml": `resources: [d.yaml]
configMapGenerator:
- name: cm
  literals: [x=1]
`,
      "common/d.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap: {name: cm}
`,
    },
    kubectl: `apiVersion: v1
data:
  x: "1"
kind: ConfigMap
metadata:
  name: a-cm-hmg6f82fh6
---
apiVersion: v1
data:
  x: "1"
kind: ConfigMap
metadata:
  name: b-cm-hmg6f82fh6
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: a-d
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: a-cm-hmg6f82fh6
        name: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: b-d
spec:
  template:
    spec:
      volumes:
      - configMap:
          name: b-cm-hmg6f82fh6
        name: v
`,
  },
  {
    name: "namespace-subjects",
    files: {
      "kustomization.yaml": `namespace: team
resources: [r.yaml]
`,
      "r.yaml": `apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: sa}
- {kind: ServiceAccount, name: sa, namespace: default}
- {kind: ServiceAccount, name: other, namespace: default}
`,
    },
    kubectl: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
  namespace: team
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: sa
  namespace: team
- kind: ServiceAccount
  name: sa
  namespace: team
- kind: ServiceAccount
  name: other
  namespace: default
`,
  },
];

describe('nameReference: kubectl parity', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const { resources, result } = build(c.files);
      if (c.kubectl === undefined) {
        assert.deepEqual(result.issues.map((i) => i.message), [c.error], `kubectl said: ${c.kubectlError}`);
        return;
      }
      assert.deepEqual(result.issues, []);
      const expected = parseAllDocuments(c.kubectl).map((d) => d.toJS() as JsonObject);
      assert.deepEqual(plain(sorted(resources.map((r) => r.obj))), plain(sorted(expected)));
    });
  }

  test('two-prefixes without prefix/suffix information is ambiguous', () => {
    const c = CASES.find((x) => x.name === 'two-prefixes')!;
    const { result } = build(c.files, false);
    assert.equal(result.issues.length, 2);
    assert.match(result.issues[0].message, /found multiple possible referrals for ConfigMap cm/);
  });

  test('IngressClass references are never rewritten (kustomize declares its group as "networking.k8s.io/v1")', () => {
    const c = CASES.find((x) => x.name === 'network-rbac')!;
    const ing = build(c.files).resources.find((r) => r.obj.kind === 'Ingress')!;
    assert.equal((ing.obj.spec as JsonObject).ingressClassName, 'nginx');
  });
});

const res = (obj: JsonObject, file = '/k/r.yaml'): Resource => ({ obj, prov: new Map(), origin: { file, layer: stepLayer('resource') } });
const pod = (name: string, ns: string | undefined, volumeRef: string): Resource =>
  res({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: { volumes: [{ name: 'v', configMap: { name: volumeRef } }] } });
const volumeName = (r: Resource) => ((((r.obj.spec as JsonObject).volumes as JsonObject[])[0].configMap as JsonObject).name);

describe('updateNameReferences', () => {
  test('records a nameReference write whose origin is the target name write', () => {
    const cm = generate('ConfigMap', { name: 'cm', literals: ['a=1'] }, '/k/kustomization.yaml', undefined, () => undefined, (f) => (f.in === 'name' ? { start: 5, end: 7 } : undefined)).resource!;
    const p = pod('p', undefined, 'cm');
    p.prov.set('/spec/volumes/0/configMap/name', [{ file: '/k/r.yaml', span: { start: 50, end: 52 }, layer: stepLayer('resource'), value: 'cm' }]);
    const rename = applyNameSuffixHash(cm)!;
    const { updates, issues } = updateNameReferences([cm, p], [rename]);
    assert.deepEqual(issues, []);
    assert.equal(volumeName(p), 'cm-h29d89cmmt');
    assert.deepEqual(updates, [{ resource: p, pointer: '/spec/volumes/0/configMap/name', from: 'cm', to: 'cm-h29d89cmmt' }]);
    assert.deepEqual(p.prov.get('/spec/volumes/0/configMap/name'), [
      { file: '/k/r.yaml', span: { start: 50, end: 52 }, layer: stepLayer('resource'), value: 'cm' },
      { file: '/k/kustomization.yaml', span: undefined, kustomization: '/k/kustomization.yaml', layer: stepLayer('nameReference'), value: 'cm-h29d89cmmt' },
    ]);
    // The hash write's provenance is the generator entry (no span given for it here).
    assert.equal(layerLabel(cm.prov.get('/metadata/name')!.at(-1)!.layer), 'hash');
  });

  test('a name many objects share (one per namespace, other kinds too): each reference follows its own namespace\'s object', () => {
    // More objects of one name than buildCandidates walks through: they are looked up by kind, group and namespace.
    const resources: Resource[] = [];
    const renames: Rename[] = [];
    const pods: Resource[] = [];
    for (let i = 0; i < 12; i++) {
      const ns = i === 0 ? undefined : `ns${i}`;
      const file = `/k/ns${i}.yaml`;
      const secret = res({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'p-cfg', ...(ns ? { namespace: ns } : {}) } }, file);
      const cm = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p-cfg', ...(ns ? { namespace: ns } : {}) } }, file);
      cm.prov.set('/metadata/name', [{ file, span: { start: i, end: i + 1 }, layer: stepLayer('namePrefix'), value: 'p-cfg' }]);
      const p = pod(`pod${i}`, ns, 'cfg');
      resources.push(secret, cm, p);
      pods.push(p);
      renames.push({ kind: 'ConfigMap', oldName: 'cfg', newName: 'p-cfg', namespace: ns ?? '', oldNamespace: ns ?? '', provenance: { file: '/k/kustomization.yaml', span: { start: 0, end: 1 }, layer: stepLayer('namePrefix') } });
    }
    const { issues } = updateNameReferences(resources, renames);
    assert.deepEqual(issues, []);
    pods.forEach((p, i) => {
      assert.equal(volumeName(p), 'p-cfg');
      // Written from the object found (its name's provenance), not from the rename's.
      assert.equal(p.prov.get('/spec/volumes/0/configMap/name')?.at(-1)?.file, `/k/ns${i}.yaml`);
    });
  });

  test('renames that keep every name (a namespace set): scalar references stay, map references get the namespace', () => {
    // A base's namespace on its objects: each one renamed from no namespace (or its old one) to `team`, names kept.
    const sa = res({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'team' } });
    const cm = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'team' } });
    const deploy = res({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'team' }, spec: { template: { spec: { serviceAccountName: 'sa', volumes: [{ name: 'v', configMap: { name: 'cm' } }] } } } });
    const rb = res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'old' }, { kind: 'ServiceAccount', name: 'sa' }] });
    const renames: Rename[] = [sa, cm, deploy, rb].map((r) => ({ kind: String(r.obj.kind), group: r === rb ? 'rbac.authorization.k8s.io' : r === deploy ? 'apps' : '', oldName: meta(r).name as string, newName: meta(r).name as string, namespace: 'team', oldNamespace: r === sa ? 'old' : '' }));
    const { updates, issues } = updateNameReferences([sa, cm, deploy, rb], renames);
    assert.deepEqual(issues, []);
    const spec = (deploy.obj.spec as JsonObject).template as JsonObject;
    assert.equal((spec.spec as JsonObject).serviceAccountName, 'sa');
    assert.deepEqual(rb.obj.subjects, [{ kind: 'ServiceAccount', name: 'sa', namespace: 'team' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'team' }]);
    assert.deepEqual(updates.map((u) => [u.resource === rb, u.pointer, u.from, u.to]), [[true, '/subjects/0/namespace', 'old', 'team'], [true, '/subjects/1/namespace', undefined, 'team']]);
    // a map without a name is still a configuration error
    const bad = res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb2', namespace: 'team' }, subjects: [{ kind: 'ServiceAccount' }] });
    assert.match(updateNameReferences([sa, bad], renames.slice(0, 1)).issues[0]?.message ?? '', /no 'name' field/);
  });

  test('a renamed object missing from the list: the rename provenance, version matched leniently', () => {
    const p = pod('p', undefined, 'cm');
    updateNameReferences([p], [{ kind: 'ConfigMap', oldName: 'cm', newName: 'x-cm', provenance: { file: '/k/kustomization.yaml', span: { start: 1, end: 2 }, layer: stepLayer('namePrefix') } }]);
    assert.equal(volumeName(p), 'x-cm');
    assert.deepEqual(p.prov.get('/spec/volumes/0/configMap/name'), [{ file: '/k/kustomization.yaml', span: { start: 1, end: 2 }, kustomization: undefined, layer: stepLayer('nameReference'), value: 'x-cm' }]);
  });

  test('chains of renames end at the current name; a distinct object keeps its own', () => {
    const cm = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o-b-cm-hash' } });
    const a = pod('a', undefined, 'cm');
    const b = pod('b', undefined, 'b-cm');
    updateNameReferences([cm, a, b], [
      { kind: 'ConfigMap', oldName: 'cm', newName: 'b-cm' },
      { kind: 'ConfigMap', oldName: 'b-cm', newName: 'o-b-cm' },
      { kind: 'ConfigMap', oldName: 'o-b-cm', newName: 'o-b-cm-hash' },
    ]);
    assert.deepEqual([volumeName(a), volumeName(b)], ['o-b-cm-hash', 'o-b-cm-hash']);

    // X: a→b (b exists), Y: b→c — two objects, not a chain.
    const x = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    const y = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const toA = pod('p1', undefined, 'a');
    const toB = pod('p2', undefined, 'b');
    updateNameReferences([x, y, toA, toB], [{ kind: 'ConfigMap', oldName: 'a', newName: 'b' }, { kind: 'ConfigMap', oldName: 'b', newName: 'c' }]);
    assert.deepEqual([volumeName(toA), volumeName(toB)], ['b', 'c']);
  });

  test('namespaces: same namespace, "" equals default, cluster-scoped referrers see all', () => {
    const renames: Rename[] = [{ kind: 'ConfigMap', oldName: 'cm', newName: 'cm-a', namespace: 'a' }, { kind: 'ConfigMap', oldName: 'cm2', newName: 'cm2-d', namespace: 'default' }];
    const inA = pod('p', 'a', 'cm');
    const inB = pod('p', 'b', 'cm');
    const noNs = pod('q', undefined, 'cm2');
    const cr = res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ resourceNames: ['cm', 'cm2', 'other'] }] });
    const { issues } = updateNameReferences([inA, inB, noNs, cr], renames);
    assert.deepEqual(issues, []);
    assert.deepEqual([volumeName(inA), volumeName(inB), volumeName(noNs)], ['cm-a', 'cm', 'cm2-d']);
    assert.deepEqual((cr.obj.rules as JsonObject[])[0].resourceNames, ['cm-a', 'cm2-d', 'other']);
  });

  test('user configurations: parsed documents or YAML text, merged and de-duplicated with the defaults', () => {
    const hr = res({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'hr' }, spec: { valuesFrom: [{ kind: 'ConfigMap', name: 'vals' }], chart: { spec: { sourceRef: { name: 'repo' } } } } });
    const config = { nameReference: [{ kind: 'ConfigMap', fieldSpecs: [{ path: 'spec/valuesFrom/name', kind: 'HelmRelease' }] }] };
    const text = 'nameReference:\n- kind: HelmRepository\n  fieldSpecs:\n  - path: spec/chart/spec/sourceRef/name\n    kind: HelmRelease\n  - path: spec/chart/spec/sourceRef/name\n    kind: HelmRelease\n';
    const { updates } = updateNameReferences([hr], [{ kind: 'ConfigMap', oldName: 'vals', newName: 'vals-1' }, { kind: 'HelmRepository', group: 'source.toolkit.fluxcd.io', oldName: 'repo', newName: 'p-repo' }], [config, text, ': not yaml: [', config]);
    assert.deepEqual(updates.map((u) => [u.pointer, u.to]), [['/spec/valuesFrom/0/name', 'vals-1'], ['/spec/chart/spec/sourceRef/name', 'p-repo']]);
    assert.deepEqual(nameReferencesFromConfig({ nameReference: [{ kind: 'X', fieldSpecs: [{ path: 'a/b', kind: 'Y', create: true }, { kind: 'no path' }] }, 'junk'], namePrefix: [] }), [
      { group: undefined, version: undefined, kind: 'X', fieldSpecs: [{ path: 'a/b', group: undefined, version: undefined, kind: 'Y', create: true }] },
    ]);
  });

  test('map references without a name are a configuration error', () => {
    const node = res({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { configSource: { configMap: { namespace: 'kube-system' } } } });
    const { issues } = updateNameReferences([node], [{ kind: 'ConfigMap', oldName: 'cm', newName: 'x' }]);
    assert.match(issues[0].message, /no 'name' field in node/);
  });

  test('roleRef: only candidates of the referenced kind; no roleRef kind → any', () => {
    const rb = res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' } });
    updateNameReferences([rb], [{ kind: 'Role', group: 'rbac.authorization.k8s.io', oldName: 'r', newName: 'p-r' }]);
    assert.equal((rb.obj.roleRef as JsonObject).name, 'r');
    const loose = res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { name: 'r' } });
    updateNameReferences([loose], [{ kind: 'Role', group: 'rbac.authorization.k8s.io', oldName: 'r', newName: 'p-r' }]);
    assert.equal((loose.obj.roleRef as JsonObject).name, 'p-r');
  });

  test('no renames, no work', () => {
    const p = pod('p', undefined, 'cm');
    assert.deepEqual(updateNameReferences([p], []), { updates: [], issues: [] });
  });
});

describe('nameReference configuration', () => {
  test("kustomize v5.5.0's defaults", () => {
    const d = defaultNameReferences();
    assert.equal(d.length, 16);
    assert.equal(d.reduce((n, b) => n + b.fieldSpecs.length, 0), 167);
    assert.deepEqual(d.map((b) => b.kind), ['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet', 'ConfigMap', 'Secret', 'Service', 'Role', 'ClusterRole', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'ValidatingAdmissionPolicy']);
    assert.equal(d.find((b) => b.kind === 'IngressClass')!.group, 'networking.k8s.io/v1');
  });

  test('field paths: / separates, \\/ escapes', () => {
    assert.deepEqual(splitFieldPath('metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret'), ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/auth-secret']);
    assert.deepEqual(splitFieldPath('spec/template/spec/volumes/configMap/name'), ['spec', 'template', 'spec', 'volumes', 'configMap', 'name']);
  });

  test("cluster scope as kustomize's OpenAPI data knows it", () => {
    assert.equal(isClusterScopedForKustomize({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' }), true);
    assert.equal(isClusterScopedForKustomize({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }), true);
    assert.equal(isClusterScopedForKustomize({ group: '', version: 'v1', kind: 'Namespace' }), true);
    assert.equal(isClusterScopedForKustomize({ group: '', version: 'v1', kind: 'ConfigMap' }), false);
    assert.equal(isClusterScopedForKustomize({ group: 'cert-manager.io', version: 'v1', kind: 'ClusterIssuer' }), false); // unknown CRDs are namespaced
    assert.equal(isClusterScopedForKustomize({ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicy' }), false); // newer than its data
  });
});
