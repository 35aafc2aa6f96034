// Fleets the change-impact tests share (test/unit/impact.test.ts, test/unit/cli.test.ts), written as materialize() specs.
export const GIT = (url: string) => `[remote "origin"]\n\turl = ${url}\n`;

/** A cluster's bootstrap: the flux-system source and root Kustomization, for a cluster folder. */
export const cluster = (name: string) => `
//- clusters/${name}/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- clusters/${name}/apps.yaml
${appsKs(`./apps/${name}`)}`;

export const appsKs = (p: string, name = 'apps') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  path: ${p}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

export const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.25
          env:
            - name: MODE
              value: fast
            - name: LEVEL
              value: info
        - name: sidecar
          image: busybox:1.36
`;

export const PROD = `
//- .git/config
${GIT('https://github.com/acme/fleet')}
${cluster('prod')}
//- apps/prod/kustomization.yaml
resources:
  - namespace.yaml
  - data.yaml
  - web.yaml
//- apps/prod/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
//- apps/prod/data.yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
spec:
  resources:
    requests:
      storage: 1Gi
//- apps/prod/web.yaml
${WEB}`;

