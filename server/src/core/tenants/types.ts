// Customer separation: who the tenants are, what the platform locked down, and the findings of each rule.
import type { Finding } from '../findings';
import type { Context } from '../evaluate/contexts';
import type { Resource } from '../kustomize/types';
import type { Span } from '../text';

/** A place in the fleet's text. */
export interface Place {
  file: string;
  span: Span;
}

/** One of Flux's multi-tenancy lockdown settings, where the fleet declares it. */
export interface LockdownDeclaration extends Place {
  flag: 'no-cross-namespace-refs' | 'no-remote-bases' | 'default-service-account';
  /** default-service-account: the account Flux impersonates when an object names none. */
  value?: string;
  /** How it is declared (`--no-remote-bases=true`, `FluxInstance flux-system/flux spec.cluster.multitenant`). */
  via: string;
  /** The cluster folder it applies to: root Kustomizations written inside it run with it. */
  scope: string;
  /** The controllers it is set on (a patch target's name, kustomize's regular expression); undefined: all of them. */
  controllers?: string;
}

export type Controller = 'kustomize-controller' | 'helm-controller';

/** The Flux controllers a FluxInstance installs (`spec.components`, else the operator's default set). */
export interface ComponentsDeclaration extends Place {
  names: string[];
  via: string;
  scope: string;
}

/** What a context runs under: the declarations that apply to its cluster. */
export interface Lockdown {
  declarations: LockdownDeclaration[];
  /** The controllers its cluster's FluxInstance installs (unknown without a FluxInstance: bootstrap installs all). */
  components?: ComponentsDeclaration;
  /** Any of them: the cluster is locked down. */
  any?: LockdownDeclaration;
}

export interface Tenant {
  name: string;
  /** Declared in `.flux-fleet.yaml` (where), or inferred (from what). */
  declared?: Place;
  evidence: Array<Place & { why: string }>;
  /** Source URLs (or folders) its Kustomizations build from. */
  repositories: Set<string>;
  /** Declared folders (absolute). */
  paths: string[];
  namespaces: Set<string>;
  serviceAccounts: Set<string>;
  /** A ClusterRoleBinding gives its service account rights in every namespace: not held to its namespaces. */
  clusterWide?: Place & { role: string };
}

/** A context whose build is a tenant's code. */
export interface TenantContext {
  tenant: Tenant;
  ctx: Context;
  lockdown: Lockdown;
  /** The Kustomization that builds the tenant's code (rendered by the platform, or by the tenant's own parent). */
  spec: Resource;
}

export interface TenantModel {
  tenants: Tenant[];
  declarations: LockdownDeclaration[];
  contexts: TenantContext[];
  /** Namespaces the platform's own Flux objects live in. */
  platformNamespaces: Set<string>;
  /** ClusterRoles found in the builds, by name: their rules' verbs. */
  clusterRoleVerbs: Map<string, { verbs: Set<string>; at: Place }>;
}

/** A finding a rule reports, before the same place found in several contexts is merged into one. */
export interface RuleHit {
  file: string;
  span: Span;
  code: Finding['code'];
  severity: 'error' | 'warning';
  tenant: string;
  /** What breaks the rule, and the fix (the tenant, rule and lockdown are added around it). */
  what: string;
  fix: string;
  /** The lockdown declaration that makes it an error (or that the rule depends on). */
  lockdown?: LockdownDeclaration;
}

export interface TenantRule {
  code: Finding['code'];
  check(model: TenantModel, tc: TenantContext): RuleHit[];
  /**
   * Its hits depend only on the model, the tenant, `tc.lockdown` (its declarations and components) and the build's
   * objects: contexts whose builds hold the same objects (evaluate/sharedContent.ts) under the same lockdown get the
   * hits found for the first of them.
   */
  readsObjectsOnly?: boolean;
}
