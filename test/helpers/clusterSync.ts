// A cluster's sync file in a `platform` repository, as fixtures of several contexts of one folder write it: the
// GitRepository, the cluster's root Kustomization (./clusters/<name>) and an `apps` Kustomization (./apps) whose
// postBuild substitutes `substitute`, one variable per line in the given order.
export const clusterSync = (name: string, substitute: Record<string, string>) => `//- platform/clusters/${name}/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/shared-org/platform
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/${name}
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
${Object.entries(substitute).map(([k, v]) => `      ${k}: ${v}\n`).join('')}`;
