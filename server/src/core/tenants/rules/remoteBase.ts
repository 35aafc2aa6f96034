// remote-base: under Flux's no-remote-bases lockdown, kustomize-controller refuses a build that loads a remote base;
// every kustomization file the tenant's build read (the engine's own record of it) is looked at.
import type { Fleet } from '../../model';
import { flagOn } from '../lockdown';
import type { RuleHit, TenantRule } from '../types';

export function remoteBase(fleet: Fleet): TenantRule {
  return {
    code: 'remote-base',
    check(_model, tc) {
      const lock = flagOn(tc.lockdown, 'no-remote-bases', 'kustomize-controller');
      if (!lock) return [];
      const hits: RuleHit[] = [];
      for (const file of tc.ctx.build.read ?? []) {
        for (const remote of fleet.facts.get(file)?.kustomize?.remotes ?? []) {
          hits.push({
            code: 'remote-base',
            severity: 'error',
            tenant: tc.tenant.name,
            lockdown: lock,
            file,
            span: remote.span,
            what: `its build loads the remote base ${remote.value}, which kustomize-controller refuses under no-remote-bases`,
            fix: `vendor the base into the tenant's repository (or reference it as a Flux source) and refer to it by a local path`,
          });
        }
      }
      return hits;
    },
  };
}
