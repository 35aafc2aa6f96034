// ResourceSets in the fleet model (test/fixtures/operator-fleet): a FluxInstance syncs a folder of ResourceSets —
// inline tenants (namespace, service account, RoleBinding, GitRepository, Kustomization into the mapped tenants
// repository), a Static provider by label selector, Permute, a network provider with samples in .flux-fleet.yaml
// (and a conditional) and one without, a template error. What they generate is followed, checked, shown in the tree,
// and answered in the editor through the IDE facade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingLines, loadFleet, materialize, spanText } from '../helpers/fixture';
import * as ide from '../../server/src/ide';
import { fleetSnapshot } from '../../server/src/core/snapshot';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import type { Fleet } from '../../server/src/core/model';

const dir = path.resolve(__dirname, '../fixtures/operator-fleet');
const file = (rel: string) => path.join(dir, 'platform/clusters/prod/tenants', rel);
const text = (fleet: Fleet, f: string) => fleet.facts.get(f)!.text;
const offsetOf = (fleet: Fleet, f: string, needle: string, nth = 0) => {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text(fleet, f).indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in ${f}`);
  return at;
};
const noOptions = { strictSubstitution: false, schema: true };

test('check: expansion findings at their template spans, generated paths followed and missing ones named by input set', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const findings = ide.check(fleet, noOptions);
  const lines = findings
    .map((f) => {
      const pos = ide.offsetToLineCol(fleet.facts.get(f.file)!.lineStarts, f.span.start);
      return `${f.code} ${path.relative(dir, f.file)}:${pos.line + 1}:${pos.character + 1}`;
    })
    .sort();
  assert.deepEqual(lines, [
    'path-not-found platform/clusters/prod/tenants/inline.yaml:52:15',
    'path-not-found platform/clusters/prod/tenants/previews.yaml:33:13',
    'provider-inputs-unknown platform/clusters/prod/tenants/previews.yaml:56:7',
    'template-error platform/clusters/prod/tenants/broken.yaml:10:7',
    'undefined-input platform/clusters/prod/tenants/broken.yaml:18:18',
  ]);
  const byCode = (code: string) => findings.filter((f) => f.code === code);
  const [teamB] = byCode('path-not-found').filter((f) => f.file === file('inline.yaml'));
  assert.equal(spanText(fleet, teamB.file, teamB.span), './<< inputs.tenant >>');
  assert.match(teamB.message, /^spec\.path '\.\/team-b' does not exist in tenants .*\(input set 1 \(tenant: team-b, role: view\) of ResourceSet flux-system\/teams\)$/);
  const [preview] = byCode('path-not-found').filter((f) => f.file === file('previews.yaml'));
  assert.equal(spanText(fleet, preview.file, preview.span), './previews/<< inputs.branch >>');
  assert.match(preview.message, /'\.\/previews\/fix-cart' .*\(input set 102 \(env: preview, branch: fix-cart\) of ResourceSet tenants\/previews\)$/);
  assert.equal(byCode('provider-inputs-unknown')[0].severity, 'information');
  assert.match(byCode('provider-inputs-unknown')[0].message, /tenants\/image-tags \(OCIArtifactTag\).*declare sample inputs for it in \.flux-fleet\.yaml/);
  assert.equal(spanText(fleet, file('broken.yaml'), byCode('undefined-input')[0].span), 'inputs.team');
  assert.match(byCode('template-error')[0].message, /unrecognized character in action/);
});

test('generated objects join the model: indexed with their input set, sources mapped, references resolved to the template', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const teams = fleet.links.resourceSets.find((r) => r.expansion.name === 'teams')!;
  // The operator's order: each resource for every input set in turn.
  assert.deepEqual(
    teams.objects.map((o) => `${o.kind} ${o.namespace ?? ''}/${o.name} ← ${o.madeBy}`),
    ['Namespace', 'ServiceAccount', 'RoleBinding', 'GitRepository', 'Kustomization'].flatMap((kind) =>
      ['team-a', 'team-b'].map((t, i) => {
        const name = { Namespace: `/${t}`, ServiceAccount: `${t}/flux`, RoleBinding: `${t}/flux`, GitRepository: `${t}/tenants`, Kustomization: `${t}/apps` }[kind];
        return `${kind} ${name} ← ResourceSet flux-system/teams, input set ${i} (tenant: ${t}, role: ${i ? 'view' : 'admin'})`;
      }),
    ),
  );
  // A generated Kustomization followed through its generated GitRepository into the mapped tenants repository.
  const teamA = teams.flux.find((f) => f.namespace === 'team-a')!;
  const [res] = fleet.links.flux.get(teamA)!;
  assert.equal(res.folder, path.join(dir, 'tenants/team-a'));
  assert.equal(res.sourceRoot?.via, 'mapped in platform/.flux-fleet.yaml');
  assert.equal(spanText(fleet, file('inline.yaml'), res.source!.nameSpan), 'tenants');
  // A Kustomization written in Git that dependsOn a generated one: definition leads to its template line.
  const wiring = path.join(dir, 'platform/clusters/prod/tenants/wiring.yaml');
  const [target] = ide.definition(fleet, wiring, offsetOf(fleet, wiring, 'name: apps') + 7);
  assert.equal(target.file, file('inline.yaml'));
  assert.equal(spanText(fleet, target.file, target.span!), 'apps');
  assert.equal(ide.offsetToLineCol(fleet.facts.get(target.file)!.lineStarts, target.span!.start).line + 1, 48);
});

test('tree: root → ResourceSet → input set → generated objects, Kustomizations with their own subtrees', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const tree = ide.renderTree(ide.fleetTree(fleet));
  const lines = tree.split('\n');
  const teams = lines.slice(lines.findIndex((l) => l.includes('flux-system/teams')), lines.findIndex((l) => l.includes('region-tiers'))).filter((l) => !/source GitRepository/.test(l));
  assert.deepEqual(teams, [
    '├─ ResourceSet flux-system/teams  platform/clusters/prod/tenants/inline.yaml:4',
    '│  ├─ input set 0 (tenant: team-a, role: admin)',
    '│  │  ├─ Namespace team-a  platform/clusters/prod/tenants/inline.yaml:16',
    '│  │  ├─ ServiceAccount team-a/flux  platform/clusters/prod/tenants/inline.yaml:20',
    '│  │  ├─ RoleBinding team-a/flux  platform/clusters/prod/tenants/inline.yaml:25',
    '│  │  ├─ GitRepository team-a/tenants  platform/clusters/prod/tenants/inline.yaml:38',
    '│  │  └─ Kustomization team-a/apps  platform/clusters/prod/tenants/inline.yaml:48',
    '│  │     └─ path ./team-a  → tenants/team-a',
    '│  └─ input set 1 (tenant: team-b, role: view)',
    '│     ├─ Namespace team-b  platform/clusters/prod/tenants/inline.yaml:16',
    '│     ├─ ServiceAccount team-b/flux  platform/clusters/prod/tenants/inline.yaml:20',
    '│     ├─ RoleBinding team-b/flux  platform/clusters/prod/tenants/inline.yaml:25',
    '│     ├─ GitRepository team-b/tenants  platform/clusters/prod/tenants/inline.yaml:38',
    '│     └─ Kustomization team-b/apps  platform/clusters/prod/tenants/inline.yaml:48',
    '│        └─ path ./team-b  → (unresolved)',
  ]);
  assert.match(tree, /ResourceSet flux-system\/selected-teams {2}platform\/clusters\/prod\/tenants\/static\.yaml:17\n {3}└─ input set \d+ \(tenant: team-c, folder: team-c\)\n {6}└─ Kustomization flux-system\/team-c-apps .*\n.*source GitRepository flux-system {2}→ platform\n.*path \.\/team-c {2}→ platform\/team-c/);
  assert.match(tree, /ResourceSet flux-system\/region-tiers .*\n.*input set \d+\n.*ConfigMap flux-system\/settings-eu-gold/);
  assert.match(tree, /ResourceSet tenants\/releases .*\(some inputs unknown offline: declare providerSamples\)/);
  assert.match(tree, /ResourceSet flux-system\/broken .*\(fails: see its findings\)/);
  // The conditional: only fix-cart's Kustomization is annotated.
  const previews = fleet.links.resourceSets.find((r) => r.expansion.name === 'previews')!;
  assert.deepEqual(previews.expansion.objects.map((o) => JSON.stringify((o.obj.metadata as { annotations?: object }).annotations ?? null)), ['null', '{"fleet.example.com/priority":"high"}']);
});

test('evaluation: the generated Kustomizations are the children of the context that applies the ResourceSet, built from their folders', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const labels = allContexts(fleet, rootKustomizations(fleet)).map((c) => `${contextLabel(c.id)} → ${c.skeleton.folder ? path.relative(dir, c.skeleton.folder) : '(none)'}`);
  assert.deepEqual(labels, [
    'platform/clusters/prod/flux-system: flux-system/flux-system → platform/clusters/prod',
    'platform/clusters/prod/flux-system: flux-system/flux-system > team-a/apps → tenants/team-a',
    'platform/clusters/prod/flux-system: flux-system/flux-system > team-b/apps → (none)',
    'platform/clusters/prod/flux-system: flux-system/flux-system > tenants/preview-101 → platform/previews/feature-login',
    'platform/clusters/prod/flux-system: flux-system/flux-system > tenants/preview-102 → (none)',
    'platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/team-c-apps → platform/team-c',
    'platform/clusters/prod/flux-system: flux-system/flux-system > team-a/tenant-policies → tenants/team-a',
  ]);
  const out: string[] = [];
  ide.buildCommand({ out: (t) => out.push(t), err: (t) => out.push(t), cwd: dir }, fleet, 'flux-system/flux-system', undefined);
  const printed = out.join('');
  assert.match(printed, /# ResourceSet flux-system\/teams generates:\n# input set 0 \(tenant: team-a, role: admin\)\n/);
  assert.match(printed, /# input set 1 \(tenant: team-b, role: view\)\n(.*\n)*?  name: view\n/);
  assert.match(printed, /# ResourceSet tenants\/releases generates nothing \(some inputs unknown offline: providerSamples\)/);
});

test('hover on << inputs.x >>: the value in each input set and where it was set (inline inputs, defaultValues, samples)', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const inline = file('inline.yaml');
  const h = ide.hover(fleet, inline, offsetOf(fleet, inline, 'inputs.role') + 8)!;
  assert.equal(spanText(fleet, inline, h.span), 'inputs.role');
  assert.equal(
    h.markdown,
    [
      '**inputs.role** — ResourceSet flux-system/teams (Flatten)',
      '',
      '- input set 0 (tenant: team-a, role: admin): `"admin"` — spec.inputs at platform/clusters/prod/tenants/inline.yaml:9',
      '- input set 1 (tenant: team-b, role: view): `"view"` — spec.inputs at platform/clusters/prod/tenants/inline.yaml:11',
    ].join('\n'),
  );
  const previews = file('previews.yaml');
  const hb = ide.hover(fleet, previews, offsetOf(fleet, previews, 'inputs.branch', 1) + 7)!;
  assert.match(hb.markdown, /- input set 101 .*: `"feature-login"` — sample in \.flux-fleet\.yaml at platform\/\.flux-fleet\.yaml:7/);
  assert.match(hb.markdown, /- input set 102 .*: `"fix-cart"` — sample in \.flux-fleet\.yaml at platform\/\.flux-fleet\.yaml:9/);
  const static_ = file('static.yaml');
  const hs = ide.hover(fleet, static_, offsetOf(fleet, static_, 'inputs.folder'))!;
  assert.match(hs.markdown, /: `"team-c"` — provider defaultValues at platform\/clusters\/prod\/tenants\/static\.yaml:12/);
  const permute = file('permute.yaml');
  const hp = ide.hover(fleet, permute, offsetOf(fleet, permute, 'inputs.tiers.replicas') + 14)!;
  assert.match(hp.markdown, /\*\*inputs\.tiers\.replicas\*\* — ResourceSet flux-system\/region-tiers \(Permute\)\n\n- input set \d+: `3` — provider defaultValues/);
  const releases = ide.hover(fleet, previews, offsetOf(fleet, previews, 'inputs.tag'))!;
  assert.match(releases.markdown, /inputs unknown offline: declare `providerSamples:`/);
  // Definition of an input: where each input set's value was written.
  const defs = ide.definition(fleet, inline, offsetOf(fleet, inline, 'inputs.role') + 8);
  assert.deepEqual(defs.map((d) => spanText(fleet, d.file, d.span!)), ['admin', 'view']);
});

test('completion of input keys after inputs. inside << >>, nested under Permute', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const inline = file('inline.yaml');
  const edited = text(fleet, inline).replace('name: << inputs.role >>', 'name: << inputs.ro >>');
  fleet.setOverlay(inline, edited);
  const items = ide.completion(fleet, inline, edited.indexOf('inputs.ro >>') + 9);
  assert.deepEqual(items.map((i) => i.label), ['provider', 'role', 'tenant']);
  assert.equal(edited.slice(items[1].span.start, items[1].span.end), 'ro');
  assert.equal(items[1].documentation, '`"admin"`, `"view"`');
  const permute = file('permute.yaml');
  const p = text(fleet, permute).replace('<< inputs.regions.region >>-', '<< inputs.tiers. >>-');
  fleet.setOverlay(permute, p);
  assert.deepEqual(ide.completion(fleet, permute, p.indexOf('inputs.tiers. >>') + 13).map((i) => i.label), ['id', 'provider', 'replicas', 'tier']);
  // Outside << >>, no input keys.
  assert.ok(!ide.completion(fleet, inline, edited.indexOf('role: admin')).some((i) => i.label === 'tenant' && i.kind === 'variable'));
});

test('providerSamples in .flux-fleet.yaml are validated (config-invalid)', () => {
  const m = materialize(`//- platform/.flux-fleet.yaml
providerSamples:
  no-slash:
    - branch: x
  apps/prs: not-a-list
  apps/ok:
    - just-a-string
//- platform/rs.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
`);
  const fleet = loadFleet(m.file('platform'));
  const problems = fleet.links.findings.filter((f) => f.code === 'config-invalid').map((f) => f.message);
  assert.deepEqual(problems, [
    'providerSamples: no-slash must be namespace/name of a ResourceSetInputProvider',
    'providerSamples: apps/prs must be a list of input maps (one per input set the provider would export)',
    'providerSamples: each input of apps/ok must be a map (the values templates read as inputs.*)',
  ]);
});

test('incremental: editing a provider re-expands the ResourceSets that read it, as a fresh load would', () => {
  const m = materialize('//- .keep\n');
  fs.cpSync(dir, path.join(m.dir, 'f'), { recursive: true });
  const root = path.join(m.dir, 'f/platform');
  const fleet = loadFleet(root);
  const generated = () => fleet.links.resourceSets.flatMap((r) => r.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`)).sort();
  const fresh = () => loadFleet(root);
  const staticFile = path.join(root, 'clusters/prod/tenants/static.yaml');
  void allContexts(fleet, rootKustomizations(fleet)).map((c) => c.skeleton); // evaluated before the edits (caches)
  // The provider's folder changes: the generated Kustomization's path now misses.
  fs.writeFileSync(staticFile, fs.readFileSync(staticFile, 'utf8').replace('folder: team-c', 'folder: team-z'));
  fleet.fileChanged(staticFile);
  assert.ok(fleet.links.findings.some((f) => f.code === 'path-not-found' && f.message.includes("'./team-z'")));
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(fresh()));
  // A second provider is labelled as a tenant: one more input set.
  fs.writeFileSync(staticFile, fs.readFileSync(staticFile, 'utf8') + '---\napiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSetInputProvider\nmetadata:\n  name: team-d\n  namespace: flux-system\n  labels:\n    fleet.example.com/kind: tenant\nspec:\n  type: Static\n  defaultValues:\n    tenant: team-d\n    folder: team-c\n');
  fleet.fileChanged(staticFile);
  assert.ok(generated().includes('Kustomization/flux-system/team-d-apps'));
  assert.deepEqual(generated(), fresh().links.resourceSets.flatMap((r) => r.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`)).sort());
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(fresh()));
  // The evaluation follows too: the context that applies the ResourceSets has the new tenant as a child.
  const children = (f: Fleet) => allContexts(f, rootKustomizations(f)).map((c) => `${contextLabel(c.id)} → ${c.skeleton.folder ?? '(none)'}`);
  assert.ok(children(fleet).some((l) => l.includes('flux-system/team-d-apps')));
  assert.deepEqual(children(fleet), children(fresh()));
  // Samples change in .flux-fleet.yaml: the previews follow.
  const cfg = path.join(root, '.flux-fleet.yaml');
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('fix-cart', 'feature-login'));
  fleet.fileChanged(cfg);
  assert.ok(!fleet.links.findings.some((f) => f.code === 'path-not-found' && f.file.endsWith('previews.yaml')));
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(fresh()));
  assert.deepEqual(children(fleet), children(fresh()));
  // An edited ResourceSet file reports its expansion findings at once (linkFile), before the fleet is re-linked.
  const inline = path.join(root, 'clusters/prod/tenants/inline.yaml');
  const broken = fs.readFileSync(inline, 'utf8').replace('name: << inputs.role >>', 'name: << inputs.rol >>');
  fleet.setOverlay(inline, broken);
  assert.ok(ide.fileFindings(fleet, inline, { schema: false }).some((f) => f.code === 'undefined-input'));
  void findingLines;
});

test('evaluation: a provider outside the build that applies the ResourceSet, edited, changes the context\'s children', () => {
  const m = materialize(`//- platform/.flux-fleet.yaml
repositories:
  https://github.com/x/platform: .
//- platform/clusters/prod/flux-system/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/x/platform
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/prod/rset.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: apps
  namespace: flux-system
spec:
  inputsFrom:
    - kind: ResourceSetInputProvider
      name: tenant-list
  resources:
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: << inputs.tenant >>-apps
        namespace: flux-system
      spec:
        path: ./apps/<< inputs.tenant >>
        prune: true
        sourceRef:
          kind: GitRepository
          name: flux-system
//- platform/providers/list.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata:
  name: tenant-list
  namespace: flux-system
spec:
  type: Static
  defaultValues:
    tenant: alpha
//- platform/apps/alpha/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: alpha
//- platform/apps/beta/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: beta
`);
  const root = m.file('platform');
  const fleet = loadFleet(root);
  const children = (f: Fleet) => allContexts(f, rootKustomizations(f)).map((c) => `${contextLabel(c.id)} → ${c.skeleton.folder ? path.relative(root, c.skeleton.folder) : '(none)'}`);
  assert.deepEqual(children(fleet), ['platform/clusters/prod/flux-system: flux-system/flux-system → clusters/prod', 'platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/alpha-apps → apps/alpha']);
  const list = m.file('platform/providers/list.yaml');
  fs.writeFileSync(list, fs.readFileSync(list, 'utf8').replace('tenant: alpha', 'tenant: beta'));
  fleet.fileChanged(list);
  assert.deepEqual(children(fleet), ['platform/clusters/prod/flux-system: flux-system/flux-system → clusters/prod', 'platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/beta-apps → apps/beta']);
  assert.deepEqual(children(fleet), children(loadFleet(root)));
});

test('resourcesTemplate: a generated object\'s fields are at their lines in the template, also in a range body', () => {
  const m = materialize(`//- platform/rset.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: envs
  namespace: apps
spec:
  inputs:
    - envs: [staging, prod]
  resourcesTemplate: |
    <<- range $env := inputs.envs >>
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cfg-<< $env >>
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: app-<< $env >>
    spec:
      path: ./missing/<< $env >>
      sourceRef:
        kind: GitRepository
        name: flux-system
    <<- end >>
`);
  const fleet = loadFleet(m.file('platform'));
  const [link] = fleet.links.resourceSets;
  const f = m.file('platform/rset.yaml');
  const line = (o: { start: number }) => ide.offsetToLineCol(fleet.facts.get(f)!.lineStarts, o.start).line + 1;
  assert.deepEqual(link.objects.map((o) => `${o.kind} ${o.name} ${line(o.nameSpan)} ${spanText(fleet, f, o.nameSpan)}`), [
    'ConfigMap cfg-staging 15 cfg-<< $env >>',
    'Kustomization app-staging 20 app-<< $env >>',
    'ConfigMap cfg-prod 15 cfg-<< $env >>',
    'Kustomization app-prod 20 app-<< $env >>',
  ]);
  assert.deepEqual(link.flux.map((k) => `${line(k.path!.span)} ${spanText(fleet, f, k.path!.span)} ${line(k.sourceRef!.span)}`), ['22 ./missing/<< $env >> 25', '22 ./missing/<< $env >> 25']);
});

test('hover on a template field shows what it becomes per input set; definition leads to every input set\'s target', () => {
  const fleet = loadFleet(path.join(dir, 'platform'));
  const inline = file('inline.yaml');
  const onPath = offsetOf(fleet, inline, 'path: ./') + 7;
  assert.equal(
    ide.hover(fleet, inline, onPath)!.markdown,
    [
      '**spec.path** of the Kustomizations ResourceSet flux-system/teams generates',
      '',
      '- input set 0 (tenant: team-a, role: admin): `./team-a` → `tenants/team-a`',
      '- input set 1 (tenant: team-b, role: view): `./team-b` → *no such folder*',
    ].join('\n'),
  );
  assert.equal(
    ide.hover(fleet, inline, offsetOf(fleet, inline, 'name: apps') + 7)!.markdown,
    ['**Generated by ResourceSet flux-system/teams**', '', '- input set 0 (tenant: team-a, role: admin): Kustomization `team-a/apps`', '- input set 1 (tenant: team-b, role: view): Kustomization `team-b/apps`'].join('\n'),
  );
  // sourceRef name `tenants`: each input set's generated GitRepository (the same template line).
  const onSource = offsetOf(fleet, inline, 'name: tenants\n', 1) + 7;
  const targets = ide.definition(fleet, inline, onSource);
  assert.deepEqual(targets.map((t) => `${path.basename(t.file)}:${ide.offsetToLineCol(fleet.facts.get(t.file)!.lineStarts, t.span!.start).line + 1}`), ['inline.yaml:38']);
  const previews = file('previews.yaml');
  assert.deepEqual(ide.definition(fleet, previews, offsetOf(fleet, previews, 'path: ./previews') + 7).map((t) => path.relative(dir, t.file)), ['platform/previews/feature-login/app.yaml']);
});
