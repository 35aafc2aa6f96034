// Add app: a base's new overlay written like the neighbouring app (the neighbour's kustomization with its names
// changed, its values generator reading the new values file), the list entry, and a values file of the base's
// extension points (required keys first); the fleet after it has no new finding once the required values are given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { CORPORA_DIR, corporaPresent, loadCorpus } from '../helpers/corpora';
import { addAppPlan, findingsAddedBy, type OperationAnswer, type OperationPlan } from '../../server/src/ide';
import { addApp, requiredValues } from '../../server/src/core/operations/addApp';
import { applyEdits } from '../../server/src/core/operations/plan';
import { main } from '../../server/src/cli';

// One cluster deploying apps/prod, which lists the app `api` (an overlay of bases/api with its values in a generated
// ConfigMap); bases/web's chart marks `ingress.host` required and `resources` an extension point; the fleet's
// policy requires `owner` of every HelmRelease.
const FLEET = `
//- platform/.flux-fleet.yaml
repositories:
  https://example.com/platform: .
required:
  - kinds: [HelmRelease]
    paths: [spec.values.owner]
    reason: every release names its owning team
//- platform/apps/prod/api/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: apps
resources:
  - ../../../bases/api
configMapGenerator:
  - name: api-values
    files:
      - values.yaml
generatorOptions:
  disableNameSuffixHash: true
//- platform/apps/prod/api/values.yaml
replicas: 2
owner: team-api
//- platform/apps/prod/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - api
//- platform/bases/api/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - release.yaml
//- platform/bases/api/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: api
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/api
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: ConfigMap
      name: api-values
//- platform/bases/web/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - release.yaml
//- platform/bases/web/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: ConfigMap
      name: web-values
//- platform/charts/api/Chart.yaml
apiVersion: v2
name: api
version: 1.0.0
//- platform/charts/api/values.yaml
replicas: 1
//- platform/charts/web/Chart.yaml
apiVersion: v2
name: web
version: 1.0.0
//- platform/charts/web/values.yaml
image:
  tag: 1.0.0
ingress:
  host: "" # fleet:required every app serves its own host
resources: {} # fleet:extension requests and limits are yours to set
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/prod/flux-system/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/platform
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

function planOf(a: OperationAnswer): OperationPlan {
  assert.ok(!('refused' in a), 'refused' in a ? a.refused : '');
  return a as OperationPlan;
}

function written(plan: OperationPlan, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of plan.creates) out[path.relative(dir, c.file)] = c.text;
  for (const file of new Set(plan.edits.map((e) => e.file))) out[`edited ${path.relative(dir, file)}`] = applyEdits(fs.readFileSync(file, 'utf8'), plan.edits.filter((e) => e.file === file));
  return out;
}

const REQUIRED = { 'ingress.host': 'web.example.com', owner: 'team-web' };

test('add app writes the overlay like its neighbour, the entry, and the base\'s extension points (required first)', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.file('platform'));
  const plan = planOf(addAppPlan(fleet, { name: 'web', base: m.file('platform/bases/web'), to: m.file('platform/apps/prod'), values: REQUIRED }));
  assert.equal(plan.title, 'Add app web from prod/../../bases/web (like api)'.replace('prod/../../bases/web', path.relative(m.file('platform/apps'), m.file('platform/bases/web'))));
  assert.deepEqual(written(plan, m.dir), {
    // apiVersion keeps its `api`: only names change.
    'platform/apps/prod/web/kustomization.yaml': fs.readFileSync(m.file('platform/apps/prod/api/kustomization.yaml'), 'utf8').replace('bases/api', 'bases/web').replace('api-values', 'web-values'),
    'platform/apps/prod/web/values.yaml':
      "# web's values for the base web\n" +
      'ingress:\n  host: web.example.com # required: every app serves its own host\n' +
      'owner: team-web # required: every release names its owning team\n' +
      'resources: {} # extension: requests and limits are yours to set\n',
    'edited platform/apps/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - api\n  - web\n',
  });
  assert.deepEqual(plan.notes, ['follows prod/api', 'namespace: apps, the namespace the apps there share', 'checked: no new finding']);
});

test('add app refuses required values not given (they would be missing-required findings), naming each with its reason', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.file('platform'));
  assert.deepEqual(requiredValues(fleet, m.file('platform/bases/web')), [
    { key: 'ingress.host', reason: 'every app serves its own host' },
    { key: 'owner', reason: 'every release names its owning team' },
  ]);
  assert.deepEqual(addAppPlan(fleet, { name: 'web', base: m.file('platform/bases/web'), to: m.file('platform/apps/prod'), values: { owner: 'team-web' } }), {
    refused: 'web requires ingress.host (every app serves its own host): give it a value',
  });
  assert.deepEqual(addAppPlan(fleet, { name: 'web', base: m.file('platform/bases/web'), to: m.file('platform/apps/prod') }), {
    refused: 'web requires ingress.host (every app serves its own host), owner (every release names its owning team): give each a value',
  });
});

test('add app with the required values given leaves the fleet with no new finding (and fixes the base\'s missing ConfigMap)', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.file('platform'));
  const plan = planOf(addAppPlan(fleet, { name: 'web', base: m.file('platform/bases/web'), to: m.file('platform/apps/prod'), values: { 'ingress.host': 'web.example.com', owner: 'team-web' } }));
  assert.equal(
    plan.creates[1].text,
    "# web's values for the base web\ningress:\n  host: web.example.com # required: every app serves its own host\nowner: team-web # required: every release names its owning team\nresources: {} # extension: requests and limits are yours to set\n",
  );
  const { added, after } = findingsAddedBy(fleet, plan);
  assert.deepEqual(added, []);
  assert.equal(plan.notes[plan.notes.length - 1], 'checked: no new finding');
  // The release's valuesFrom ConfigMap, missing before (nothing made it), is made now.
  assert.ok(fleet.links.findings.some((f) => f.code === 'object-not-found' && f.message.includes("'web-values'")));
  assert.ok(!after.links.findings.some((f) => f.code === 'object-not-found'));
});

test('add app refuses what it cannot do, with the reason', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.file('platform'));
  const refusal = (name: string, base: string, to: string) => {
    const a = addApp(fleet, { name, base: m.file(base), to: m.file(to), values: REQUIRED });
    return 'refused' in a ? a.refused.replaceAll(m.dir + '/', '') : 'a plan';
  };
  assert.equal(refusal('api', 'platform/bases/web', 'platform/apps/prod'), 'platform/apps/prod/api exists: nothing is overwritten');
  assert.equal(refusal('Web', 'platform/bases/web', 'platform/apps/prod'), "Web: an app's name must be a DNS label (lower-case letters, digits and '-')");
  assert.equal(refusal('web', 'platform/charts/web', 'platform/apps/prod'), 'platform/charts/web has no kustomization: not a base');
  assert.equal(refusal('web', 'platform/bases/web', 'platform/clusters/prod'), 'platform/clusters/prod has no kustomization listing apps to add to');
  assert.equal(refusal('web', 'platform/bases/web', 'platform/bases/api'), 'no app in platform/bases/api takes a base from outside its folder: there is no neighbour\'s layout to follow');
});

test('flux-fleet add app --set fills the required keys in; --dry-run writes nothing', () => {
  const m = materialize(FLEET);
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  const cwd = process.cwd();
  try {
    process.chdir(m.dir);
    const args = ['add', 'app', 'web', '--base', 'platform/bases/web', '--to', 'platform/apps/prod', '--set', 'ingress.host=web.example.com', '--set=owner=team-web', 'platform'];
    assert.equal(main([...args, '--dry-run']), 0);
    assert.ok(!fs.existsSync(m.file('platform/apps/prod/web')));
    assert.equal(main(args), 0);
  } finally {
    process.stdout.write = write;
    process.chdir(cwd);
  }
  assert.match(out.join(''), /^Add app web from prod\/\.\.\/\.\.\/bases\/web|^Add app web from \.\.\/bases\/web/);
  assert.match(out.join(''), /create platform\/apps\/prod\/web\/values\.yaml \(5 lines\)\n/);
  assert.match(fs.readFileSync(m.file('platform/apps/prod/web/values.yaml'), 'utf8'), /owner: team-web/);
  assert.match(fs.readFileSync(m.file('platform/apps/prod/kustomization.yaml'), 'utf8'), /- api\n  - web\n$/);
});

test('corpus gitops-template: add app takes its base\'s namespace, not the neighbour\'s kube-system; a base the cluster deploys already is refused (the same App twice)', { skip: !corporaPresent && 'no ../shared corpora' }, () => {
  const fleet = loadCorpus('gitops-template');
  const apps = path.join(CORPORA_DIR, 'gitops-template/management-clusters/MC_NAME/organizations/ORG_NAME/workload-clusters/WC_NAME_OUT_OF_BAND_FLUX_APP/mapi/apps');
  const a = addApp(fleet, { name: 'db', base: path.join(CORPORA_DIR, 'gitops-template/bases/apps/simple-db'), to: apps });
  const plan = planOf(a);
  assert.deepEqual(written(plan, apps), {
    'db/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nbuildMetadata:\n  - originAnnotations\nconfigMapGenerator:\n  - files:\n      - values=override_config.yaml\n    name: ${cluster_name}-tmpl-simple-db-user-values\ngeneratorOptions:\n  disableNameSuffixHash: true\nkind: Kustomization\nnamespace: org-${organization}\nresources:\n  - ../../../../../../../../../bases/apps/simple-db\n',
    'db/override_config.yaml': "# db's values for the base simple-db\n{}\n",
    'edited kustomization.yaml': fs.readFileSync(path.join(apps, 'kustomization.yaml'), 'utf8') + '  - db/\n',
  });
  assert.deepEqual(plan.notes, ['follows apps/ingress-nginx-from-template', "namespace: org-${organization}, its base's (ingress-nginx-from-template's kube-system is its base's)"]);
  // Its app set (app_sets/hello-web-app-1) deploys simple-db and hello-world there already, in that namespace: a second
  // copy of either base makes the same App, and the check refuses it (kube-system only hid the clash).
  for (const base of ['simple-db', 'hello-world']) {
    const again = addAppPlan(fleet, { name: 'db', base: path.join(CORPORA_DIR, 'gitops-template/bases/apps', base), to: apps });
    assert.match('refused' in again ? again.refused : '', new RegExp(`^following the layout would add 1 finding\\(s\\): kustomize-build-error at .*may not add resource with an already registered id: App\\.application\\.giantswarm\\.io org-\\$\\{organization\\}/\\$\\{cluster_name\\}-${base}`));
  }
});

// An app per namespace: the neighbour `api` lives in namespace `api`, made by its own namespace.yaml.
const OWN_NAMESPACE = `
//- platform/apps/prod/api/kustomization.yaml
namespace: api
resources:
  - namespace.yaml
  - ../../../bases/api
//- platform/apps/prod/api/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: api
//- platform/apps/prod/kustomization.yaml
resources:
  - api
//- platform/bases/api/kustomization.yaml
resources: [deploy.yaml]
//- platform/bases/api/deploy.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: api}
//- platform/bases/web/kustomization.yaml
resources: [deploy.yaml]
//- platform/bases/web/deploy.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps/prod
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
`;

test('add app: a neighbour in its own namespace gives the new app its own (and its Namespace); a targetNamespace decides for every app', () => {
  const m = materialize(OWN_NAMESPACE);
  const plan = planOf(addAppPlan(loadFleet(m.file('platform')), { name: 'web', base: m.file('platform/bases/web'), to: m.file('platform/apps/prod') }));
  assert.deepEqual(written(plan, m.file('platform/apps/prod')), {
    'web/kustomization.yaml': 'namespace: web\nresources:\n  - namespace.yaml\n  - ../../../bases/web\n',
    'web/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
    'edited kustomization.yaml': 'resources:\n  - api\n  - web\n',
  });
  assert.deepEqual(plan.notes, ['follows prod/api', "namespace: web, its own namespace, like api's", 'checked: no new finding']);
  // Flux's targetNamespace puts every object of the list in one namespace, whatever the kustomizations say.
  const t = materialize(OWN_NAMESPACE.replace('  path: ./apps/prod\n', '  path: ./apps/prod\n  targetNamespace: apps\n'));
  const planT = planOf(addApp(loadFleet(t.file('platform')), { name: 'web', base: t.file('platform/bases/web'), to: t.file('platform/apps/prod') }));
  assert.equal(planT.creates[0].text, 'namespace: apps\nresources:\n  - ../../../bases/web\n');
  assert.deepEqual(planT.notes, ['follows prod/api', 'namespace: apps, the Kustomizations deploying it set it as targetNamespace']);
});

// A file per app: the list names each app's base itself, and gives each app one values patch beside it (Flux's
// flux2-kustomize-helm-example writes apps/staging this way).
const FILE_PER_APP = `
//- platform/apps/base/api/kustomization.yaml
resources: [release.yaml]
//- platform/apps/base/api/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: api, namespace: apps}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/api
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
//- platform/apps/base/web/kustomization.yaml
resources: [release.yaml]
//- platform/apps/base/web/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
//- platform/charts/api/Chart.yaml
apiVersion: v2
name: api
version: 1.0.0
//- platform/charts/web/Chart.yaml
apiVersion: v2
name: web
version: 1.0.0
//- platform/charts/web/values.yaml
ingress:
  host: "" # fleet:required every app serves its own host
resources: {} # fleet:extension requests and limits are yours to set
//- platform/apps/prod/kustomization.yaml
resources:
  - ../base/api
patches:
  - path: api-values.yaml
    target:
      kind: HelmRelease
      name: api
//- platform/apps/prod/api-values.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: api, namespace: apps}
spec:
  values:
    replicas: 2
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps/prod
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/clusters/prod/flux-system/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 1m
  url: https://example.com/platform
  ref: {branch: main}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
`;

test('add app to a file-per-app list: the base listed like the neighbour\'s, the app\'s values file (its release, the extension points) and its patch entry', () => {
  const m = materialize(FILE_PER_APP);
  const fleet = loadFleet(m.file('platform'));
  const plan = planOf(addAppPlan(fleet, { name: 'web', base: m.file('platform/apps/base/web'), to: m.file('platform/apps/prod'), values: { 'ingress.host': 'web.example.com' } }));
  assert.deepEqual(written(plan, m.file('platform/apps/prod')), {
    'web-values.yaml':
      "# web's values for the base web\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  values:\n    ingress:\n      host: web.example.com # required: every app serves its own host\n    resources: {} # extension: requests and limits are yours to set\n",
    'edited kustomization.yaml': 'resources:\n  - ../base/api\n  - ../base/web\npatches:\n  - path: api-values.yaml\n    target:\n      kind: HelmRelease\n      name: api\n  - path: web-values.yaml\n    target:\n      kind: HelmRelease\n      name: web\n',
  });
  assert.deepEqual(plan.notes, ['follows api (its base listed in kustomization.yaml, its values in api-values.yaml)', 'checked: no new finding']);
  // A patch whose target names no release reaches every release of the list: the neighbour's values would reach web.
  const byKind = materialize(FILE_PER_APP.replace('      kind: HelmRelease\n      name: api\n', '      kind: HelmRelease\n'));
  assert.deepEqual(addApp(loadFleet(byKind.file('platform')), { name: 'web', base: byKind.file('platform/apps/base/web'), to: byKind.file('platform/apps/prod'), values: { 'ingress.host': 'x' } }), {
    refused: "kustomization.yaml patches every HelmRelease with api-values.yaml (its target names none): the new app would get api's values too. Name the release in that target first",
  });
});

test('corpus flux2-kustomize-helm-example: apps/staging is a file-per-app list whose values patch targets every HelmRelease: refused with the reason', { skip: !corporaPresent && 'no ../shared corpora' }, () => {
  const fleet = loadCorpus('flux2-kustomize-helm-example');
  const root = path.join(CORPORA_DIR, 'flux2-kustomize-helm-example');
  // A second base beside podinfo, in memory: the corpus has one app.
  fleet.setOverlay(path.join(root, 'apps/base/web/kustomization.yaml'), 'resources: [release.yaml]\n');
  const a = addApp(fleet, { name: 'web', base: path.join(root, 'apps/base/web'), to: path.join(root, 'apps/staging') });
  assert.deepEqual(a, { refused: "kustomization.yaml patches every HelmRelease with podinfo-values.yaml (its target names none): the new app would get podinfo's values too. Name the release in that target first" });
});
