// The tenant rules, run over every context that builds a tenant's code. The same place found in several contexts
// (every cluster builds the tenant) is one finding, the strictest severity, naming every lockdown that applies.
import type { Fleet } from '../model';
import type { Context } from '../evaluate/contexts';
import { byPosition, type Finding } from '../findings';
import { offsetToLineCol } from '../text';
import { relative } from '../paths';
import { tenantModel, tenantModelSteps, withAncestors } from './model';
import { appliedResources } from '../evaluate/resourceSets';
import { sharedContentOf } from '../evaluate/sharedContent';
import { tenantEscape } from './rules/tenantEscape';
import { noServiceAccount, noServiceAccountReleases } from './rules/noServiceAccount';
import { crossNamespaceRef, crossNamespaceRefReleases } from './rules/crossNamespaceRef';
import { remoteBase } from './rules/remoteBase';
import { rbacBroadening } from './rules/rbacBroadening';
import type { LockdownDeclaration, Place, RuleHit, TenantContext, TenantModel, TenantRule } from './types';
import { runSteps, type Steps } from '../steps';

export function tenantRules(fleet: Fleet): TenantRule[] {
  return [tenantEscape, noServiceAccount, noServiceAccountReleases, crossNamespaceRef, crossNamespaceRefReleases, remoteBase(fleet), rbacBroadening];
}

/** `repo/path:line` of a place, as a person reads it in a message. */
export function placeLabel(fleet: Fleet, p: Place): string {
  const repo = fleet.repositoryOf(p.file);
  const path = repo ? `${repo.name}/${relative(repo.root, p.file)}` : p.file;
  const lineStarts = fleet.facts.get(p.file)?.lineStarts;
  return lineStarts ? `${path}:${offsetToLineCol(lineStarts, p.span.start).line + 1}` : path;
}

export function lockdownLabel(fleet: Fleet, d: LockdownDeclaration): string {
  return `${d.via} at ${placeLabel(fleet, d)}`;
}

/** Every rule over every tenant context, merged per place. */
export function tenantHits(fleet: Fleet, model: TenantModel): Array<RuleHit & { lockdowns: LockdownDeclaration[] }> {
  return runSteps(tenantHitsSteps(fleet, model));
}

/** tenantHits in steps: yields after each tenant context (the server's background evaluation). */
function* tenantHitsSteps(fleet: Fleet, model: TenantModel): Steps<Array<RuleHit & { lockdowns: LockdownDeclaration[] }>> {
  const rules = tenantRules(fleet);
  const merged = new Map<string, RuleHit & { lockdowns: LockdownDeclaration[] }>();
  // The rules that read only the objects whose hits were merged, by tenant, lockdown and what the build holds (one key
  // per context: the content key is long). Merging the same hits again changes nothing (the severity only rises, the
  // lockdowns are a set), so they are found and merged once: every cluster building a tenant's base would otherwise
  // walk the same hundreds of hits. (Only that they were merged is kept: the hits and their merge keys, kept to the
  // pass's end, were most of what it promoted.)
  // (By tenant, lockdown key, then content key: one key joined per context was a string of ~250 characters, hashed.)
  const found = new Map<object, Map<string, Map<string, Set<TenantRule>>>>();
  const anyReadsObjectsOnly = rules.some((r) => r.readsObjectsOnly);
  const ids = new Map<object | undefined, number>();
  const id = (x: object | undefined) => ids.get(x) ?? (ids.set(x, ids.size), ids.size - 1);
  const lockdownKey = (l: TenantContext['lockdown']) => `${id(l.any)}/${id(l.components)}/${l.declarations.map(id).join(',')}`;
  const mergeKey = (h: RuleHit) => `${h.code}|${h.file}|${h.span.start}|${h.span.end}|${h.tenant}|${h.what}`;
  for (const tc of model.contexts) {
    yield;
    const content = sharedContentOf(fleet.db, tc.ctx.build.resources);
    let byRule: Set<TenantRule> | undefined;
    if (content !== undefined && anyReadsObjectsOnly) {
      let byLockdown = found.get(tc.tenant);
      if (!byLockdown) found.set(tc.tenant, (byLockdown = new Map()));
      const lockdown = lockdownKey(tc.lockdown);
      let byContent = byLockdown.get(lockdown);
      if (!byContent) byLockdown.set(lockdown, (byContent = new Map()));
      byRule = byContent.get(content);
      if (!byRule) byContent.set(content, (byRule = new Set()));
    }
    for (const rule of rules) {
      const keyed = rule.readsObjectsOnly ? byRule : undefined;
      if (keyed?.has(rule)) continue;
      keyed?.add(rule);
      const hits = rule.check(model, tc);
      for (let i = 0; i < hits.length; i++) {
        const h = hits[i];
        const key = mergeKey(h);
        const cur = merged.get(key);
        // (a literal, not `{ ...h, lockdowns }`: a spread extended gave each merged hit a hidden class of its own)
        if (!cur) merged.set(key, { file: h.file, span: h.span, code: h.code, severity: h.severity, tenant: h.tenant, what: h.what, fix: h.fix, lockdown: h.lockdown, lockdowns: h.lockdown ? [h.lockdown] : [] });
        else {
          if (h.severity === 'error') cur.severity = 'error';
          if (h.lockdown && !cur.lockdowns.includes(h.lockdown)) cur.lockdowns.push(h.lockdown);
        }
      }
    }
  }
  return [...merged.values()];
}

/**
 * A hit's message, kept with its finding to the end of the check: one flat string, joined (a template literal makes
 * a tree of concatenations, a 32-byte node per part over the parts' own trees: 17,000 nodes for the 841 findings of
 * the synthetic fleet, ~0.5 MB).
 */
function message(fleet: Fleet, h: RuleHit & { lockdowns: LockdownDeclaration[] }): string {
  const lock = h.lockdowns.length ? `Lockdown: ${h.lockdowns.map((d) => lockdownLabel(fleet, d)).join('; ')}.` : 'No lockdown is declared for this cluster.';
  return ['Tenant ', h.tenant, ', ', h.code, ': ', h.what, '. ', lock, ' Fix: ', h.fix, '.'].join('');
}

/** The findings of the tenant rules over these contexts (check and the server's evaluated tier). */
export function tenantFindings(fleet: Fleet, contexts: Context[], model: TenantModel = tenantModel(fleet, contexts)): Finding[] {
  return runSteps(tenantFindingsSteps(fleet, contexts, model));
}

/**
 * tenantFindings in steps: yields after each context the model reads is built (the contexts and their ancestors: a
 * cluster's root build alone can take a few hundred ms), after the model and after each tenant context checked.
 */
export function* tenantFindingsSteps(fleet: Fleet, contexts: Context[], model?: TenantModel): Steps<Finding[]> {
  if (!model) {
    for (const c of withAncestors(contexts)) {
      void c.skeleton;
      yield;
      void appliedResources(fleet, c.build.resources);
      yield;
    }
  }
  const m = model ?? (yield* tenantModelSteps(fleet, contexts));
  yield;
  return (yield* tenantHitsSteps(fleet, m))
    .map((h): Finding => ({ file: h.file, span: h.span, severity: h.severity, code: h.code, message: message(fleet, h) }))
    .sort(byPosition);
}
