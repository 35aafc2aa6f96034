// A small fleet for the rendered-output and effective-values views: one base, two clusters (prod patches replicas).
const cluster = (name: string) => `
//- repo/clusters/${name}/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://example.com/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      ENV: ${name}
`;

export const FLEET = `
//- repo/.flux-fleet.yaml
repositories:
  https://example.com/fleet: .
${cluster('prod')}${cluster('staging')}
//- repo/apps/base/kustomization.yaml
resources: [web.yaml, release.yaml]
//- repo/apps/base/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: web:1.0
          env:
            - name: ENV
              value: \${ENV}
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
  namespace: apps
stringData:
  password: hunter2
//- repo/apps/base/release.yaml
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
    replicas: 2
    env: \${ENV}
//- repo/apps/prod/kustomization.yaml
resources: [../base]
patches:
  - path: replicas.yaml
//- repo/apps/prod/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 3
//- repo/apps/staging/kustomization.yaml
resources: [../base]
`;
