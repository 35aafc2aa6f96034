// Synthetic fleet for `npm run bench`: one platform repository + N tenant repositories, deterministic (seeded), shaped
// like examples/ and test/fixtures/fleet but ~11k YAML files. Written to .bench/fleet (git-ignored) and regenerated
// only when missing or when GENERATOR_VERSION / the options change. Run alone: `npm run bench:gen [-- --force]`.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GENERATOR_VERSION = 5;
export interface SynthOptions { seed: number; tenants: number; clusters: number }
export const DEFAULT_OPTIONS: SynthOptions = { seed: 20251125, tenants: 40, clusters: 60 };
export const DEFAULT_DIR = path.resolve(__dirname, '../.bench/fleet');
const STAMP = '.synth-fleet.json';
const ENVS = ['dev', 'staging', 'production'] as const;
const ADDONS = 24;
const SHARED_APPS = 8;

/** mulberry32: a small seeded PRNG, so every run writes the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const list = (items: string[], indent = '  ') => items.map((i) => `${indent}- ${i}`).join('\n');
const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body.trim()}\n`;

/** Locks the platform declares (policy), besides the inline `# fleet:locked` on the shared apps' log level. */
const LOCKS_POLICY = `locks:
  - kinds: [HelmRelease]
    names: ["addon-*"]
    paths: [spec.chart.spec.version, spec.install.remediation.retries, spec.values.resources.requests.memory]
    reason: platform add-ons are versioned and sized by the platform
  - kinds: [Kustomization]
    paths: [spec.serviceAccountName, spec.prune]
    reason: tenants reconcile as their own service account
`;
/** Every n-th tenant overrides the shared app's locked log level. */
const LOCK_BREAKERS = 10;

/** The deliberate mistakes (each should surface as exactly the finding named in the comment). */
export const BROKEN = {
  prunePathTypo: 7, // tenants/production/tenant-007-patch.yaml spec.path ./deploy/prodution → path-not-found (prune)
  missingPatchFile: 11, // tenant-011/deploy/staging patches svc-99-patch.yaml → path-not-found
  dependsOnCycle: 13, // tenant-013 svc-01 ↔ svc-02 → dependency-cycle
  valuesFromTypo: 19, // tenant-019 svc-05 valuesFrom svc-05-valuez → object-not-found
  chartSourceTypo: 23, // tenant-023 svc-02 sourceRef HelmRepository chartz → object-not-found
  unmappedRemote: 29, // tenant-029 remote base github.com/bench/unknown → remote-base-not-mapped
  yamlSyntax: 31, // tenant-031 svc-03/configmap.yaml → yaml-syntax
  sourceTypo: 37, // platform tenants/base/tenant-037/sync.yaml sourceRef tenant-37 → source-not-found
  clusterPathTypo: 17, // platform clusters/cluster-17/infrastructure.yaml → path-not-found
};

export function generateFleet(opts: SynthOptions): Map<string, string> {
  const rand = rng(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const files = new Map<string, string>();
  const put = (p: string, text: string) => files.set(p, text);
  const tenants = Array.from({ length: opts.tenants }, (_, i) => `tenant-${pad(i + 1, 3)}`);
  const clusters = Array.from({ length: opts.clusters }, (_, i) => ({ name: `cluster-${pad(i + 1, 2)}`, env: ENVS[i % 3], n: i + 1 }));
  const P = 'platform';

  // ---- platform ----
  put(`${P}/.flux-fleet.yaml`, `# Where the sources named in this fleet live on disk (paths relative to this file).\nrepositories:\n  https://github.com/bench/platform: .\n${tenants.map((t) => `  https://github.com/bench/${t}: ../${t}`).join('\n')}\n${LOCKS_POLICY}`);
  for (const c of clusters) {
    const d = `${P}/clusters/${c.name}`;
    put(`${d}/flux-system/gotk-sync.yaml`, `# Bootstrap sync for ${c.name} (${c.env}).\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  url: https://github.com/bench/platform\n  ref:\n    branch: main\n  secretRef:\n    name: flux-system\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./clusters/${c.name}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`);
    put(`${d}/flux-system/kustomization.yaml`, kustomization(`resources:\n  - gotk-sync.yaml`));
    put(`${d}/cluster-settings.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  cluster_name: ${c.name}\n  cluster_env: ${c.env}\n  cluster_region: ${pick(['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-south-1'])}\n`);
    const infraPath = c.n === BROKEN.clusterPathTypo ? `./infrastructure/clusters/cluster-${c.n + 54}` : `./infrastructure/clusters/${c.name}`;
    put(`${d}/infrastructure.yaml`, `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: infrastructure\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ${infraPath}\n  prune: true\n  wait: true\n  timeout: 5m0s\n  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-settings\n`);
    put(`${d}/tenants.yaml`, `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: tenants\n  namespace: flux-system\nspec:\n  dependsOn:\n    - name: infrastructure\n  interval: 10m0s\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./tenants/clusters/${c.name}\n  prune: true\n  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-settings\n`);
    // Infrastructure overlay per cluster.
    const addon = `addon-${pad((c.n % ADDONS) + 1, 2)}`;
    const comps = c.env === 'production' ? `components:\n  - ../../../components/monitoring\n` : '';
    put(`${P}/infrastructure/clusters/${c.name}/kustomization.yaml`, kustomization(`resources:\n  - ../../base\n${comps}patches:\n  - path: addon-values.yaml\n  - patch: |\n      - op: replace\n        path: /spec/interval\n        value: ${int(5, 60)}m\n    target:\n      kind: HelmRelease\n      name: ${addon}`));
    put(`${P}/infrastructure/clusters/${c.name}/addon-values.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${addon}\n  namespace: ${addon}\nspec:\n  values:\n    replicaCount: ${int(1, 5)}\n    clusterName: \${cluster_name}\n`);
    // Tenants overlay per cluster: the env overlay plus cluster variables; every 10th cluster runs a canary.
    const canary = c.n % 10 === 0;
    put(`${P}/tenants/clusters/${c.name}/kustomization.yaml`, kustomization(`resources:\n  - ../../${c.env}\npatches:\n  - path: cluster-vars.yaml\n    target:\n      kind: Kustomization\n      name: "tenant-.*"\n${canary ? `  - path: canary-path.yaml\n    target:\n      group: kustomize.toolkit.fluxcd.io\n      kind: Kustomization\n      name: ${tenants[0]}\n` : ''}`));
    put(`${P}/tenants/clusters/${c.name}/cluster-vars.yaml`, `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: any\nspec:\n  postBuild:\n    substitute:\n      cluster_name: ${c.name}\n      cluster_env: ${c.env}\n`);
    if (canary) put(`${P}/tenants/clusters/${c.name}/canary-path.yaml`, `# ${tenants[0]} follows its canary folder on this cluster.\n- op: replace\n  path: /spec/path\n  value: ./deploy/canary\n`);
  }
  const addons = Array.from({ length: ADDONS }, (_, i) => `addon-${pad(i + 1, 2)}`);
  put(`${P}/infrastructure/base/kustomization.yaml`, kustomization(`resources:\n${list(addons)}`));
  for (const a of addons) {
    const d = `${P}/infrastructure/base/${a}`;
    put(`${d}/kustomization.yaml`, kustomization(`resources:\n  - namespace.yaml\n  - repository.yaml\n  - release.yaml\nconfigMapGenerator:\n  - name: ${a}-values\n    namespace: ${a}\n    files:\n      - values.yaml\n    options:\n      disableNameSuffixHash: true`));
    put(`${d}/namespace.yaml`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${a}\n  labels:\n    toolkit.fluxcd.io/tenant: platform\n`);
    put(`${d}/repository.yaml`, `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: ${a}\n  namespace: flux-system\nspec:\n  interval: 24h\n  url: https://charts.example.com/${a}\n`);
    put(`${d}/release.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${a}\n  namespace: ${a}\nspec:\n  interval: 30m\n  chart:\n    spec:\n      chart: ${a}\n      version: "${int(1, 9)}.${int(0, 20)}.x"\n      sourceRef:\n        kind: HelmRepository\n        name: ${a}\n        namespace: flux-system\n  install:\n    remediation:\n      retries: 3\n  valuesFrom:\n    - kind: ConfigMap\n      name: ${a}-values\n      valuesKey: values.yaml\n  values:\n    fullnameOverride: ${a}\n`);
    put(`${d}/values.yaml`, `replicaCount: ${int(1, 3)}\nresources:\n  requests:\n    cpu: ${int(10, 500)}m\n    memory: ${int(32, 512)}Mi\nserviceMonitor:\n  enabled: ${rand() < 0.5}\n`);
  }
  put(`${P}/components/monitoring/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - namespace.yaml\n  - release.yaml\n`);
  put(`${P}/components/monitoring/namespace.yaml`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n`);
  put(`${P}/components/monitoring/release.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: kube-prometheus-stack\n  namespace: monitoring\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: kube-prometheus-stack\n      sourceRef:\n        kind: HelmRepository\n        name: addon-01\n        namespace: flux-system\n`);
  for (const t of tenants) {
    const d = `${P}/tenants/base/${t}`;
    const src = Number(t.slice(-3)) === BROKEN.sourceTypo ? `tenant-${Number(t.slice(-3))}` : t;
    put(`${d}/kustomization.yaml`, kustomization(`namespace: ${t}\nresources:\n  - namespace.yaml\n  - rbac.yaml\n  - sync.yaml\nconfigMapGenerator:\n  - name: cluster-vars\n    literals:\n      - tenant_name=${t}\n      - tenant_domain=${t}.bench.example\ngeneratorOptions:\n  disableNameSuffixHash: true`));
    put(`${d}/namespace.yaml`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${t}\n  labels:\n    toolkit.fluxcd.io/tenant: ${t}\n`);
    put(`${d}/rbac.yaml`, `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${t}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: gotk-reconciler\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: ${t}\n    namespace: ${t}\n`);
    put(`${d}/sync.yaml`, `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${t}\nspec:\n  interval: 1m0s\n  url: https://github.com/bench/${t}\n  ref:\n    branch: main\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${t}\nspec:\n  serviceAccountName: ${t}\n  interval: 5m0s\n  sourceRef:\n    kind: GitRepository\n    name: ${src}\n  path: ./deploy/staging\n  prune: true\n  postBuild:\n    substitute:\n      cluster_env: staging\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n`);
  }
  for (const env of ENVS) {
    const patched = env !== 'staging';
    put(`${P}/tenants/${env}/kustomization.yaml`, kustomization(`resources:\n${list(tenants.map((t) => `../base/${t}`))}\n${patched ? `patches:\n${tenants.map((t) => `  - path: ${t}-patch.yaml\n    target:\n      kind: Kustomization\n      name: ${t}`).join('\n')}` : ''}`));
    if (!patched) continue;
    for (const t of tenants) {
      const p = env === 'production' && Number(t.slice(-3)) === BROKEN.prunePathTypo ? './deploy/prodution' : `./deploy/${env}`;
      put(`${P}/tenants/${env}/${t}-patch.yaml`, `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${t}\n  namespace: ${t}\nspec:\n  path: ${p}   # in https://github.com/bench/${t}\n  postBuild:\n    substitute:\n      cluster_env: ${env}\n`);
    }
  }
  for (let k = 1; k <= SHARED_APPS; k++) {
    const a = `app-${k}`;
    const d = `${P}/bases/apps/${a}`;
    put(`${d}/kustomization.yaml`, kustomization(`resources:\n  - configmap.yaml\n  - deployment.yaml\n  - service.yaml`));
    put(`${d}/configmap.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${a}-config\ndata:\n  LOG_LEVEL: info # fleet:locked shared apps log at info\n`);
    put(`${d}/deployment.yaml`, deployment(a, 1, `${a}-config`));
    put(`${d}/service.yaml`, service(a));
  }

  // ---- tenants ----
  for (const t of tenants) {
    const n = Number(t.slice(-3));
    const generatedEnv = n % 8 === 0; // Flux generates the kustomization of deploy/<env>
    const services = Array.from({ length: int(20, 26) }, (_, j) => `svc-${pad(j + 1, 2)}`);
    put(`${t}/.flux-fleet.yaml`, `repositories:\n  https://github.com/bench/${t}: .\n  https://github.com/bench/platform: ../platform\n`);
    const shared = int(1, SHARED_APPS);
    const remote = n === BROKEN.unmappedRemote ? 'https://github.com/bench/unknown//bases/x?ref=main' : `https://github.com/bench/platform//bases/apps/app-${shared}?ref=main`;
    // Some tenants turn the shared app's locked log level up: a locked-field finding per context.
    const lockBreak = n % LOCK_BREAKERS === 0 && n !== BROKEN.unmappedRemote ? `patches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: app-${shared}-config\n      data:\n        LOG_LEVEL: debug\n` : '';
    put(`${t}/deploy/base/kustomization.yaml`, kustomization(`namespace: ${t}\nresources:\n  # remote base in the platform repository\n  - ${remote}\n  - helm-repositories.yaml\n${list(services.map((s) => `apps/${s}`))}\n${lockBreak}`));
    put(`${t}/deploy/base/helm-repositories.yaml`, `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\nspec:\n  interval: 24h\n  url: https://charts.bench.example/${t}\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: bitnami\nspec:\n  type: oci\n  interval: 24h\n  url: oci://registry-1.docker.io/bitnamicharts\n`);
    services.forEach((s, j) => {
      const d = `${t}/deploy/base/apps/${s}`;
      put(`${d}/kustomization.yaml`, kustomization(`resources:\n${list(['serviceaccount.yaml', 'configmap.yaml', 'deployment.yaml', 'service.yaml', 'hpa.yaml', 'networkpolicy.yaml', 'release.yaml'])}\nconfigMapGenerator:\n  - name: ${s}-values\n    files:\n      - values.yaml\n    options:\n      disableNameSuffixHash: true`));
      put(`${d}/serviceaccount.yaml`, `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${s}\n`);
      put(`${d}/configmap.yaml`, n === BROKEN.yamlSyntax && j === 2 ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${s}-config\ndata:\n  A: "unterminated\n   B: [1, 2\n` : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${s}-config\ndata:\n  LOG_LEVEL: ${pick(['debug', 'info', 'warn'])}\n  FEATURE_FLAGS: "${pick(['a', 'a,b', 'b,c', ''])}"\n  UPSTREAM: http://${pick(services)}.${t}.svc:8080\n`);
      put(`${d}/deployment.yaml`, deployment(s, int(1, 4), `${s}-config`));
      put(`${d}/service.yaml`, service(s));
      put(`${d}/hpa.yaml`, `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${s}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${s}\n  minReplicas: 1\n  maxReplicas: ${int(3, 12)}\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: ${int(50, 90)}\n`);
      put(`${d}/networkpolicy.yaml`, `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${s}\nspec:\n  podSelector:\n    matchLabels:\n      app: ${s}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: ${pick(services)}\n      ports:\n        - port: 8080\n`);
      const deps = n === BROKEN.dependsOnCycle && j < 2 ? [services[1 - j]] : j > 0 && rand() < 0.3 ? [services[int(0, j - 1)]] : [];
      const values = n === BROKEN.valuesFromTypo && j === 4 ? `${s}-valuez` : `${s}-values`;
      const chartSrc = n === BROKEN.chartSourceTypo && j === 1 ? 'chartz' : rand() < 0.8 ? 'charts' : 'bitnami';
      put(`${d}/release.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${s}\nspec:\n  interval: 30m\n${deps.length ? `  dependsOn:\n${list(deps.map((x) => `name: ${x}`), '    ')}\n` : ''}  chart:\n    spec:\n      chart: ${s}\n      version: "${int(0, 3)}.${int(0, 30)}.x"\n      sourceRef:\n        kind: HelmRepository\n        name: ${chartSrc}\n  valuesFrom:\n    - kind: ConfigMap\n      name: ${values}\n      valuesKey: values.yaml\n    - kind: ConfigMap\n      name: ${s}-values\n      valuesKey: env-values.yaml\n      optional: true\n  values:\n    ui:\n      message: "\${tenant_name} ${s} on \${cluster_env}"\n`);
      put(`${d}/values.yaml`, `replicaCount: ${int(1, 3)}\nimage:\n  repository: ghcr.io/bench/${s}\n  tag: "${int(1, 9)}.${int(0, 40)}.${int(0, 9)}"\ningress:\n  enabled: ${rand() < 0.5}\n  hosts:\n    - host: ${s}.\${tenant_domain}\n`);
    });
    const envs: string[] = [...ENVS, ...(n === 1 ? ['canary'] : [])];
    for (const env of envs) {
      const patchedSvcs = services.slice(0, int(10, 15));
      const d = generatedEnv ? `${t}/deploy/${env}/app` : `${t}/deploy/${env}`;
      const missing = n === BROKEN.missingPatchFile && env === 'staging' ? `  - path: svc-99-patch.yaml\n` : '';
      put(`${d}/kustomization.yaml`, kustomization(`namespace: ${t}\nresources:\n  - ${generatedEnv ? '../../base' : '../base'}\npatches:\n${patchedSvcs.map((s) => `  - path: ${s}-patch.yaml`).join('\n')}\n${missing}configMapGenerator:\n  - name: svc-01-values\n    behavior: merge\n    files:\n      - env-values.yaml=svc-01-values.yaml\n    options:\n      disableNameSuffixHash: true`));
      put(`${d}/svc-01-values.yaml`, `replicaCount: ${int(1, 6)}\nenvironment: ${env}\n`);
      for (const s of patchedSvcs) put(`${d}/${s}-patch.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${s}\nspec:\n  replicas: ${int(1, 8)}\n  template:\n    spec:\n      containers:\n        - name: ${s}\n          resources:\n            requests:\n              cpu: ${int(50, 900)}m\n`);
      if (generatedEnv) {
        put(`${t}/deploy/${env}/env-config.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env-config\n  namespace: ${t}\ndata:\n  ENV: ${env}\n`);
        put(`${t}/deploy/${env}/docs/example.yaml`, `# documentation sample, hidden from Flux by .sourceignore\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env-config\n  namespace: ${t}\n`);
      }
    }
    if (generatedEnv) put(`${t}/.sourceignore`, `deploy/*/docs/\n`);
  }
  return files;
}

function deployment(name: string, replicas: number, config: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      serviceAccountName: ${name}\n      containers:\n        - name: ${name}\n          image: ghcr.io/bench/${name}:latest\n          ports:\n            - containerPort: 8080\n          envFrom:\n            - configMapRef:\n                name: ${config}\n          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n          resources:\n            requests:\n              cpu: 100m\n              memory: 64Mi\n`;
}

function service(name: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
}

/** Makes sure `dir` holds the fleet for these options; returns whether it had to (re)generate. */
export function ensureFleet(dir = DEFAULT_DIR, opts = DEFAULT_OPTIONS, force = false): { dir: string; generated: boolean; ms: number } {
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, ...opts });
  const stampFile = path.join(dir, STAMP);
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return { dir, generated: false, ms: 0 };
  const t0 = performance.now();
  fs.rmSync(dir, { recursive: true, force: true });
  const made = new Set<string>();
  for (const [rel, text] of generateFleet(opts)) {
    const file = path.join(dir, rel);
    const parent = path.dirname(file);
    if (!made.has(parent)) fs.mkdirSync(parent, { recursive: true }), made.add(parent);
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(stampFile, stamp);
  return { dir, generated: true, ms: performance.now() - t0 };
}

// Run as a script (`npm run bench:gen`), not when bundled into another script (benchCheckProcess.ts): in a bundle every
// module's `module` is the bundle's, which is require.main.
if (require.main === module && /^synth-fleet\.[cm]?[jt]s$/.test(path.basename(process.argv[1] ?? ''))) {
  const r = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, process.argv.includes('--force'));
  console.log(r.generated ? `generated ${r.dir} in ${r.ms.toFixed(0)} ms` : `${r.dir} is up to date (generator v${GENERATOR_VERSION})`);
}
