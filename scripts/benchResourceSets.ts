// The ResourceSet figure of `npm run bench`: a Flux Operator fleet of 200 tenants × 3 clusters (generated here, in a
// temp folder), and the time to expand every ResourceSet of it against the floor (parsing the same files with
// `yaml`). Per cluster: a FluxInstance, a ResourceSet with the 200 tenants as inline inputs (namespace, service
// account, RoleBinding, GitRepository, Kustomization each), and one reading 200 Static providers by label.
// Standalone: `node --import tsx scripts/benchResourceSets.ts`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Fleet } from '../server/src/core/model';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import { expandResourceSets } from '../server/src/core/link/resourceSets';

export const TENANTS = 200;
export const CLUSTERS = ['prod', 'staging', 'dev'];

/** Writes the fleet; returns its root and its ResourceSet files. */
export function generateOperatorFleet(dir: string): { root: string; files: string[] } {
  const root = path.join(dir, 'platform');
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    return f;
  };
  const tenants = Array.from({ length: TENANTS }, (_, i) => `tenant-${String(i).padStart(3, '0')}`);
  write('platform/.flux-fleet.yaml', 'repositories:\n  https://github.com/bench/platform: .\n  https://github.com/bench/tenants: ../tenants\n');
  for (const t of tenants) write(`tenants/${t}/kustomization.yaml`, 'resources: []\n');
  for (const c of CLUSTERS) {
    write(`platform/clusters/${c}/flux-system/instance.yaml`, `apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  distribution:\n    version: "2.x"\n  sync:\n    kind: GitRepository\n    url: https://github.com/bench/platform\n    ref: refs/heads/main\n    path: clusters/${c}\n`);
    const inputs = tenants.map((t, i) => `    - tenant: ${t}\n      role: ${i % 3 ? 'view' : 'edit'}\n      cluster: ${c}\n`).join('');
    files.push(
      write(
        `platform/clusters/${c}/tenants/inline.yaml`,
        `apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: tenants\n  namespace: flux-system\nspec:\n  inputs:\n${inputs}  resources:\n` +
          `    - apiVersion: v1\n      kind: Namespace\n      metadata:\n        name: << inputs.tenant >>\n` +
          `    - apiVersion: v1\n      kind: ServiceAccount\n      metadata:\n        name: flux\n        namespace: << inputs.tenant >>\n` +
          `    - apiVersion: rbac.authorization.k8s.io/v1\n      kind: RoleBinding\n      metadata:\n        name: flux\n        namespace: << inputs.tenant >>\n      roleRef:\n        apiGroup: rbac.authorization.k8s.io\n        kind: ClusterRole\n        name: << inputs.role >>\n      subjects:\n        - kind: ServiceAccount\n          name: flux\n          namespace: << inputs.tenant >>\n` +
          `    - apiVersion: source.toolkit.fluxcd.io/v1\n      kind: GitRepository\n      metadata:\n        name: tenants\n        namespace: << inputs.tenant >>\n      spec:\n        interval: 5m\n        url: https://github.com/bench/tenants\n        ref:\n          branch: main\n` +
          `    - apiVersion: kustomize.toolkit.fluxcd.io/v1\n      kind: Kustomization\n      metadata:\n        name: apps\n        namespace: << inputs.tenant >>\n      spec:\n        interval: 10m\n        path: ./<< inputs.tenant >>\n        prune: true\n        serviceAccountName: flux\n        sourceRef:\n          kind: GitRepository\n          name: tenants\n`,
      ),
    );
    const providers = tenants
      .map((t) => `apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSetInputProvider\nmetadata:\n  name: ${t}\n  namespace: flux-system\n  labels:\n    bench/kind: tenant\nspec:\n  type: Static\n  defaultValues:\n    tenant: ${t}\n    replicas: ${1 + (t.length % 3)}\n`)
      .join('---\n');
    files.push(write(`platform/clusters/${c}/tenants/providers.yaml`, providers));
    files.push(
      write(
        `platform/clusters/${c}/tenants/selected.yaml`,
        `apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: settings\n  namespace: flux-system\nspec:\n  inputsFrom:\n    - kind: ResourceSetInputProvider\n      selector:\n        matchLabels:\n          bench/kind: tenant\n  resourcesTemplate: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: << inputs.tenant >>-settings\n      namespace: << inputs.tenant >>\n    data:\n      replicas: "<< inputs.replicas >>"\n      <<- if gt (int inputs.replicas) 1 >>\n      ha: "true"\n      <<- end >>\n`,
      ),
    );
  }
  return { root, files };
}

export interface ResourceSetFigure {
  tenants: number;
  clusters: number;
  resourceSets: number;
  inputSets: number;
  objects: number;
  findings: number;
  expandMs: number;
  floorParseMs: number;
  ratioToParse: number;
}

export function measureResourceSets(): ResourceSetFigure {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ff-bench-rset-')));
  try {
    const { root, files } = generateOperatorFleet(dir);
    const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
    const best = (f: () => void, before = () => {}) => {
      let ms = Infinity;
      for (let i = 0; i < 3; i++) {
        before();
        const t = performance.now();
        f();
        ms = Math.min(ms, performance.now() - t);
      }
      return ms;
    };
    const floorParseMs = best(() => texts.forEach((t) => parseAllDocuments(t)));
    const fleet = new Fleet(new NodeFileSystem(), { roots: [root] });
    fleet.load();
    // Each round on freshly indexed facts (expansions are memoized per fact): every ResourceSet expanded again.
    let links: ReturnType<typeof expandResourceSets> = [];
    const expandMs = best(
      () => (links = expandResourceSets(fleet, () => true)),
      () => files.forEach((f) => fleet.fileChanged(f)),
    );
    return {
      tenants: TENANTS,
      clusters: CLUSTERS.length,
      resourceSets: links.length,
      inputSets: links.reduce((a, l) => a + l.expansion.inputSets.length, 0),
      objects: links.reduce((a, l) => a + l.objects.length, 0),
      findings: links.reduce((a, l) => a + l.expansion.findings.length, 0),
      expandMs: Math.round(expandMs * 10) / 10,
      floorParseMs: Math.round(floorParseMs * 10) / 10,
      ratioToParse: Math.round((expandMs / floorParseMs) * 10) / 10,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const r = measureResourceSets();
  console.log(`ResourceSets (${r.tenants} tenants × ${r.clusters} clusters): ${r.resourceSets} expanded, ${r.inputSets} input sets, ${r.objects} objects in ${r.expandMs} ms (${r.ratioToParse}x the parse floor of their files, ${r.floorParseMs} ms); ${r.findings} findings`);
}
