// The files a build read are listed in the order it read them (a base's files where the build took the base), also
// now that an includer holds its inner builds' reads instead of copying them (reads.ts): the change impact names as
// an edit's cause the first changed kustomization file in that order (impact/contextImpact.ts editCause).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, impactLines } from '../helpers/impact';
import { GIT, cluster } from '../helpers/impactFleets';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  k: v\n`;

// apps/prod takes base-a (which takes base-c) and then base-b: read in the order prod, a, c, b.
const FLEET = `
//- .git/config
${GIT('https://github.com/acme/fleet')}
${cluster('prod')}
//- apps/prod/kustomization.yaml
resources:
  - ../base-a
  - ../base-b
//- apps/base-a/kustomization.yaml
resources:
  - ../base-c
  - a.yaml
//- apps/base-a/a.yaml
${cm('a')}
//- apps/base-b/kustomization.yaml
resources:
  - b.yaml
  - b2.yaml
//- apps/base-b/b.yaml
${cm('b')}
//- apps/base-b/b2.yaml
${cm('b2')}
//- apps/base-c/kustomization.yaml
resources:
  - c.yaml
  - c2.yaml
//- apps/base-c/c.yaml
${cm('c')}
//- apps/base-c/c2.yaml
${cm('c2')}
`;

test('an edit of two bases: the cause is the kustomization read first (the nested base taken before the second base)', () => {
  const s = scenario(FLEET, {
    'apps/base-c/kustomization.yaml': 'resources:\n  - c.yaml\n',
    'apps/base-b/kustomization.yaml': 'resources:\n  - b.yaml\n',
  });
  const dangers = impactLines(s).filter((l) => l.startsWith('danger'));
  assert.ok(dangers.length > 0, impactLines(s).join('\n'));
  for (const d of dangers) assert.match(d, /@apps\/base-c\/kustomization\.yaml:/, impactLines(s).join('\n'));
});
