// A workspace that tries every way out: symbolic links (file and folder), `../` and absolute paths in kustomizations
// and generators, mappings in a repository's own .flux-fleet.yaml, a symlinked .flux-fleet.yaml, and a `.git` file
// whose gitdir lies elsewhere. Everything outside holds MARKER: no answer may ever show it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize } from './fixture';

export const MARKER = 'MARKER-OUTSIDE-91c2';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\ndata:\n  secret: ${MARKER}\n`;
const ks = (name: string, p: string, source = 'flux-system') =>
  `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${p}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: ${source}\n`;

export interface Hostile {
  /** The workspace folder (CLI DIR): holds the repository `repo` and the nested repository `linked-config`. */
  ws: string;
  outside: string;
  repo: string;
  /** Names of the Flux Kustomizations (namespace flux-system) whose builds try a way out. */
  kustomizations: string[];
}

export function hostileWorkspace(): Hostile {
  const m = materialize(`
//- outside/secret.yaml
${cm(`from-outside-${MARKER.toLowerCase()}`)}
//- outside/passwd
root:${MARKER}:0:0
//- outside/values.yaml
replicaCount: ${MARKER}
//- outside/dir/kustomization.yaml
resources: [cm.yaml]
//- outside/dir/cm.yaml
${cm('outside-dir')}
//- outside/dir/values.yaml
image: ${MARKER}
//- outside/gitdir/HEAD
ref: refs/heads/${MARKER}
//- outside/gitdir/config
[remote "origin"]
	url = https://github.com/acme/${MARKER}.git
//- outside/fleet.yaml
repositories:
  ${MARKER}: .
  https://github.com/acme/${MARKER}: .
//- ws/repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/repo: .
  https://github.com/acme/outside: ../../outside/dir
  https://github.com/acme/etc: /etc
  GitRepository/flux-system/abs: OUTSIDE_ABS/dir
//- ws/repo/clusters/prod/sources.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/repo
  ref: { branch: main }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: outside
  namespace: flux-system
spec:
  url: https://github.com/acme/outside
  ref: { branch: main }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: abs
  namespace: flux-system
spec:
  url: https://github.com/acme/abs
  ref: { branch: main }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: etc
  namespace: flux-system
spec:
  url: https://github.com/acme/etc
  ref: { branch: main }
//- ws/repo/clusters/prod/apps.yaml
${ks('via-dir-link', './apps/dir-link')}${ks('via-file-link', './apps/file-link')}${ks('via-dotdot', './apps/dotdot')}${ks('via-absolute', './apps/absolute')}${ks('via-generator', './apps/generator')}${ks('via-linked-base', './apps/linked-base')}${ks('via-path-link', './apps/outside-link')}${ks('via-mapping', './', 'outside')}${ks('via-abs-mapping', './', 'abs')}${ks('via-etc-mapping', './', 'etc')}${ks('values', './apps/values')}
//- ws/repo/apps/dir-link/kustomization.yaml
resources: [out/secret.yaml]
//- ws/repo/apps/file-link/kustomization.yaml
resources: [linked.yaml]
//- ws/repo/apps/dotdot/kustomization.yaml
resources: [../../../../outside/secret.yaml]
//- ws/repo/apps/absolute/kustomization.yaml
resources: [OUTSIDE_ABS/secret.yaml]
//- ws/repo/apps/generator/kustomization.yaml
configMapGenerator:
  - name: gen-link
    namespace: apps
    files: [passwd-link, out/passwd]
  - name: gen-path
    namespace: apps
    files: [../../../../outside/passwd, OUTSIDE_ABS/passwd]
    envs: [out/passwd]
//- ws/repo/apps/linked-base/kustomization.yaml
resources: [base-link]
//- ws/repo/apps/values/kustomization.yaml
resources: [release.yaml]
configMapGenerator:
  - name: values
    namespace: apps
    files: [values.yaml=out/values.yaml]
//- ws/repo/apps/values/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: apps
spec:
  chart:
    spec:
      chart: app
      sourceRef: { kind: HelmRepository, name: charts }
  valuesFrom:
    - kind: ConfigMap
      name: values
  values:
    replicaCount: 1
//- ws/linked-config/README.md
a nested repository whose .flux-fleet.yaml is a link to a file outside
`);
  const outside = m.file('outside');
  const repo = m.file('ws/repo');
  // Absolute paths are only known now.
  for (const f of ['.flux-fleet.yaml', 'apps/absolute/kustomization.yaml', 'apps/generator/kustomization.yaml']) {
    const p = path.join(repo, f);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replaceAll('OUTSIDE_ABS', outside));
  }
  fs.symlinkSync(outside, path.join(repo, 'apps/dir-link/out'));
  fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'apps/file-link/linked.yaml'));
  fs.symlinkSync(outside, path.join(repo, 'apps/generator/out'));
  fs.symlinkSync(path.join(outside, 'passwd'), path.join(repo, 'apps/generator/passwd-link'));
  fs.symlinkSync(path.join(outside, 'dir'), path.join(repo, 'apps/linked-base/base-link'));
  fs.symlinkSync(path.join(outside, 'dir'), path.join(repo, 'apps/outside-link'));
  fs.symlinkSync(outside, path.join(repo, 'apps/values/out'));
  fs.writeFileSync(path.join(repo, '.git'), `gitdir: ${path.join(outside, 'gitdir')}\n`);
  fs.symlinkSync(path.join(outside, 'fleet.yaml'), m.file('ws/linked-config/.flux-fleet.yaml'));
  fs.symlinkSync(path.join(outside, 'secret.yaml'), m.file('ws/linked-config/.sourceignore'));
  return {
    ws: m.file('ws'),
    outside,
    repo,
    kustomizations: ['via-dir-link', 'via-file-link', 'via-dotdot', 'via-absolute', 'via-generator', 'via-linked-base', 'via-path-link', 'via-mapping', 'via-abs-mapping', 'via-etc-mapping', 'values'],
  };
}
