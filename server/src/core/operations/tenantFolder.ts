// The folder a new tenant's Kustomization builds, in the tenant's repository: never empty. An empty build is what
// Flux objects to: kustomize-controller long refused to apply it ("no objects passed to apply"), and with prune: true
// it would delete whatever the Kustomization deployed before (the check's empty-prune-path). So the folder gets one
// object the tenant's service account may make in its own namespace (a ConfigMap naming the tenant), listed in a
// kustomization written like the followed tenant's (its file name and its namespace and label fields, names changed)
// — or no kustomization where the followed tenant's folder has none (Flux generates one).
import { Document, parse, isMap } from 'yaml';
import type { Fleet } from '../model';
import { basename, dirname, isKustomizationFileName, join } from '../paths';
import { renameInYaml, type Renames } from './layout';
import type { PlanCreate } from './plan';

/** The starter object's file: what the tenant replaces with its apps. */
export const STARTER_FILE = 'tenant.yaml';

/** Fields of the followed tenant's kustomization that say where and how its objects land, not what they are. */
const KEPT_FIELDS = ['apiVersion', 'kind', 'namespace', 'commonLabels', 'labels', 'commonAnnotations'];

function kustomizationIn(fleet: Fleet, folder: string): string | undefined {
  for (const [file, facts] of fleet.facts) if (dirname(file) === folder && isKustomizationFileName(basename(file)) && facts.kustomize) return file;
  return undefined;
}

export interface TenantFolderRequest {
  /** The new folder (absolute). */
  folder: string;
  /** The followed tenant's folder at the same place (absolute), if the fleet holds it. */
  followed?: string;
  tenant: string;
  repoUrl: string;
  /** The namespace the tenant's objects go to when nothing in the folder sets it (targetNamespace, else its Kustomization's). */
  namespace?: string;
  renames: Renames;
}

export function tenantFolderFiles(fleet: Fleet, req: TenantFolderRequest): PlanCreate[] {
  const followedK = req.followed ? kustomizationIn(fleet, req.followed) : undefined;
  let kustomization: PlanCreate | undefined;
  let setsNamespace = false;
  if (followedK || !req.followed) {
    const parsed = followedK ? (parse(fleet.facts.get(followedK)?.text ?? '') as unknown) : undefined;
    const kept: Record<string, unknown> = {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (KEPT_FIELDS.includes(k)) kept[k] = v;
    }
    kept.apiVersion ??= 'kustomize.config.k8s.io/v1beta1';
    kept.kind ??= 'Kustomization';
    kept.resources = [STARTER_FILE];
    setsNamespace = typeof kept.namespace === 'string' && kept.namespace !== '';
    const doc = new Document(kept);
    if (!isMap(doc.contents)) return [];
    kustomization = { file: join(req.folder, followedK ? basename(followedK) : 'kustomization.yaml'), text: renameInYaml(doc.toString({ lineWidth: 0 }), req.renames) };
  }
  const ns = !setsNamespace && req.namespace ? `  namespace: ${req.namespace}\n` : '';
  const starter =
    `# Tenant ${req.tenant}'s first object, so that its Kustomization builds something (an empty build is refused, and\n` +
    `# with prune it would delete what it deployed): replace it with the tenant's apps.\n` +
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tenant\n${ns}data:\n  tenant: ${req.tenant}\n  repository: ${req.repoUrl}\n`;
  return [...(kustomization ? [kustomization] : []), { file: join(req.folder, STARTER_FILE), text: starter }];
}
