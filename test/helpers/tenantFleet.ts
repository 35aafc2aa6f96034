// A platform with three clusters (dev, staging, prod), each deploying the tenants overlay of its environment; the
// overlays patch one tenant's sync.yaml to its own folder of the tenant repository (deploy/<env>), as the
// multi-tenancy example does. Shared by the change impact's reach tests.
import { GIT } from './impactFleets';

const ENVS = ['dev', 'staging', 'prod'] as const;

const clusterOf = (env: string) => `
//- platform/clusters/${env}/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/platform
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/${env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/${env}/tenants.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  path: ./tenants/${env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/tenants/${env}/kustomization.yaml
resources:
  - ../base/shop
patches:
  - path: path-patch.yaml
//- platform/tenants/${env}/path-patch.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: shop
  namespace: shop
spec:
  path: ./deploy/${env}
//- shop/deploy/${env}/kustomization.yaml
resources:
  - ../base
patches:
  - path: replicas.yaml
//- shop/deploy/${env}/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${env === 'prod' ? 3 : 1}
`;

export const TENANT_FLEET = `
//- platform/.git/config
${GIT('https://github.com/acme/platform')}
${ENVS.map(clusterOf).join('')}
//- platform/tenants/base/shop/kustomization.yaml
namespace: shop
resources:
  - sync.yaml
//- platform/tenants/base/shop/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: shop
  namespace: shop
spec:
  url: https://github.com/acme/shop
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: shop
  namespace: shop
spec:
  path: ./deploy/staging
  prune: true
  targetNamespace: shop
  sourceRef:
    kind: GitRepository
    name: shop
//- shop/.git/config
${GIT('https://github.com/acme/shop')}
//- shop/deploy/base/kustomization.yaml
resources:
  - web.yaml
//- shop/deploy/base/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
`;
