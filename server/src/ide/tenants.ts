// `flux-fleet tenants`: each tenant (declared or inferred), its repositories, namespaces, service accounts, the
// lockdown its clusters run under, and its findings. Core data; the CLI prints it.
import type { Fleet } from '../core/model';
import type { Finding } from '../core/findings';
import { EVERY_CONTEXT, contextsToEvaluate } from '../core/evaluate/valueFindings';
import { evaluatorOf } from '../core/evaluate/contexts';
import { contextLabel } from '../core/evaluate/contextId';
import { tenantModel } from '../core/tenants/model';
import { lockdownLabel, placeLabel, tenantFindings } from '../core/tenants/registry';
import type { LockdownDeclaration } from '../core/tenants/types';

export interface TenantReport {
  name: string;
  /** `declared at FILE:LINE`, or what it was inferred from. */
  source: string;
  evidence: string[];
  repositories: string[];
  namespaces: string[];
  serviceAccounts: string[];
  /** A ClusterRoleBinding that gives it the cluster (not held to namespaces), if any. */
  clusterWide?: string;
  /** The lockdown of the clusters that build its code (one line per declaration), or none. */
  lockdown: string[];
  contexts: string[];
  findings: Finding[];
}

export function tenantsReport(fleet: Fleet): TenantReport[] {
  const { contexts } = contextsToEvaluate(fleet, { strictSubstitution: true, maxContexts: EVERY_CONTEXT });
  return evaluatorOf(fleet).withBuildsHeld(contexts.length, () => {
    const model = tenantModel(fleet, contexts);
    const findings = tenantFindings(fleet, contexts, model);
    return model.tenants.map((t) => {
      const mine = model.contexts.filter((tc) => tc.tenant === t);
      const lockdowns = new Set<LockdownDeclaration>();
      for (const tc of mine) for (const d of tc.lockdown.declarations) lockdowns.add(d);
      return {
        name: t.name,
        source: t.declared ? `declared at ${placeLabel(fleet, t.declared)}` : 'inferred',
        evidence: t.evidence.map((e) => `${e.why} (${placeLabel(fleet, e)})`),
        repositories: [...t.repositories].sort(),
        namespaces: [...t.namespaces].sort(),
        serviceAccounts: [...t.serviceAccounts].sort(),
        ...(t.clusterWide ? { clusterWide: `${t.clusterWide.role} (${placeLabel(fleet, t.clusterWide)})` } : {}),
        lockdown: [...lockdowns].map((d) => lockdownLabel(fleet, d)).sort(),
        contexts: mine.map((tc) => contextLabel(tc.ctx.id)),
        findings: findings.filter((f) => f.message.startsWith(`Tenant ${t.name}, `)),
      };
    });
  });
}

/** The report as text (positions through `where`, which the CLI gives as file:line:column). */
export function renderTenants(reports: TenantReport[], where: (f: Finding) => string): string {
  if (!reports.length) return '(no tenants declared in .flux-fleet.yaml or inferred from the fleet)';
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`tenant ${r.name} (${r.source})`);
    for (const e of r.evidence) lines.push(`  from: ${e}`);
    lines.push(`  repositories: ${r.repositories.join(', ') || '(none)'}`);
    lines.push(`  namespaces: ${r.namespaces.join(', ') || '(none)'}`);
    lines.push(`  service accounts: ${r.serviceAccounts.join(', ') || (r.contexts.length ? '(none: runs as the controller)' : '(none)')}`);
    if (r.clusterWide) lines.push(`  cluster-wide: ${r.clusterWide} — not held to its namespaces`);
    lines.push(`  lockdown: ${r.lockdown.length ? '' : 'none declared'}`.trimEnd());
    for (const l of r.lockdown) lines.push(`    ${l}`);
    lines.push(`  contexts: ${r.contexts.length}${r.contexts.length ? '' : ' (no Flux Kustomization builds its code: only its namespaces are known)'}`);
    lines.push(`  findings: ${r.findings.length || 'none'}`);
    for (const f of r.findings) lines.push(`    ${where(f)}: ${f.severity} ${f.code} ${f.message}`);
  }
  return lines.join('\n');
}
