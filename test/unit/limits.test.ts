// Limits that hold: hostile input costs time linear in its size, and every bound hit is a `limit-exceeded` finding
// that says which limit and where — never a crash, a stack overflow, or findings that silently disappear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { materialize, loadFleet } from '../helpers/fixture';
import { checkFindings } from '../../server/src/cli';
import { MAX_YAML_BYTES } from '../../server/src/core/indexFile';
import { parseYamlAll } from '../../server/src/core/yamlParse';
import { helmReleaseValues, mergeValues } from '../../server/src/core/evaluate/helmValues';
import type { ProvenanceMap } from '../../server/src/core/kustomize/types';
import { stepLayer } from '../../server/src/core/layer';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { Fleet } from '../../server/src/core/model';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { deployChains, rootKustomizations } from '../../server/src/core/deployChains';
import { ObjectIndex } from '../../server/src/core/link/objectIndex';
import { parseText } from '../../server/src/core/parsedText';

/** One repository: a root Flux Kustomization deploying ./app (a HelmRelease fed by a generated values ConfigMap). */
function fleetWith(values: string, releaseValues = '    replicaCount: 1\n', extra = '') {
  return materialize(`
//- repo/.git/config
[remote "origin"]
  url = https://example.com/fleet
//- repo/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app
  namespace: flux-system
spec:
  interval: 10m
  path: ./app
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substitute: {env: prod}
//- repo/app/kustomization.yaml
resources: [release.yaml]
configMapGenerator:
  - name: web-values
    namespace: apps
    files: [values.yaml=values.txt]
generatorOptions: {disableNameSuffixHash: true}
${extra}
//- repo/app/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: r}}}
  valuesFrom:
    - kind: ConfigMap
      name: web-values
  values:
${releaseValues}
//- repo/app/values.txt
${values}
`);
}

const codes = (dir: string) => checkFindings(loadFleet(path.join(dir, 'repo')), true, false).filter((f) => f.code !== 'object-not-found');

test('a generator input over the 4 MB limit is not read: limit-exceeded on the generator entry, in seconds', () => {
  const m = fleetWith('a: 1');
  fs.writeFileSync(m.file('repo/app/values.txt'), 'big: ' + 'x'.repeat(MAX_YAML_BYTES + 10) + '\n');
  const started = Date.now();
  const findings = codes(m.dir);
  assert.ok(Date.now() - started < 15000, 'bounded');
  const limit = findings.filter((f) => f.code === 'limit-exceeded');
  assert.equal(limit.length, 1, JSON.stringify(findings));
  assert.equal(path.relative(m.dir, limit[0].file), 'repo/app/kustomization.yaml');
  assert.match(limit[0].message, /values\.txt' is \d+ bytes, more than the 4194304 bytes/);
  assert.ok(!findings.some((f) => f.code === 'values-key-not-found'), 'the key is there (empty), not missing');
});

test('YAML nested 5,000 levels deep (10 KB) is limit-exceeded where it is, and the other findings stay', () => {
  const deep = 'a: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
  const m = fleetWith('replicaCount: 3', '    replicaCount: 1\n', '');
  fs.writeFileSync(m.file('repo/app/deep.yaml'), deep);
  const findings = codes(m.dir);
  const limit = findings.filter((f) => f.code === 'limit-exceeded');
  assert.deepEqual(limit.map((f) => path.relative(m.dir, f.file)), ['repo/app/deep.yaml']);
  assert.match(limit[0].message, /nested deeper than 256 levels/);
  // The values evaluation still runs: the inline value always wins over the values file's.
  assert.ok(findings.some((f) => f.code === 'ineffective-override'), JSON.stringify(findings.map((f) => f.code)));
  // The same text as a values file fed through a generator: no crash, the values read as empty.
  const v = fleetWith(deep.replace('a: ', 'replicaCount: '));
  assert.ok(!codes(v.dir).some((f) => /call stack/i.test(f.message)));
});

test('every parse is bounded: deep nesting, the parser stack exhausted, 10,000 aliases of a 10,000-item anchor', () => {
  for (const text of ['- '.repeat(20000) + 'x\n', '['.repeat(100000), 'a: &a [' + Array(10000).fill('x').join(',') + ']\nb: [' + Array(10000).fill('*a').join(',') + ']\n']) {
    const started = Date.now();
    const docs = parseYamlAll(text);
    assert.ok(Date.now() - started < 5000);
    assert.ok(docs.every((d) => d.contents === null || d.errors.length === 0 || d.errors.some((e) => e.code !== undefined)));
  }
  assert.ok(parseYamlAll('- '.repeat(20000) + 'x\n')[0].errors.some((e) => /limit exceeded/.test(e.message)));
  const bomb = fleetWith('a: &a [' + Array(10000).fill('x').join(',') + ']\nb: [' + Array(10000).fill('*a').join(',') + ']\n');
  fs.writeFileSync(bomb.file('repo/app/bomb.yaml'), fs.readFileSync(bomb.file('repo/app/values.txt')));
  const findings = codes(bomb.dir);
  assert.ok(findings.some((f) => path.basename(f.file) === 'bomb.yaml' && /excessive aliasing/.test(f.message)));
});

test('30,000 keys in a generated values file and 20,000 ${var} in a HelmRelease: linear, seconds not minutes', () => {
  const keys = Array.from({ length: 30000 }, (_, i) => `k${i}: v${i}`).join('\n');
  const vars = Array.from({ length: 20000 }, (_, i) => `    v${i}: \${env}-\${x${i}:=d}`).join('\n') + '\n';
  const m = fleetWith(keys, vars);
  const started = Date.now();
  const fleet = loadFleet(m.file('repo'));
  checkFindings(fleet, true, false);
  assert.ok(Date.now() - started < 30000, `took ${Date.now() - started} ms`);
});

test('mergeValues touches only the subtrees it replaces (a values layer of n keys over n keys: linear)', () => {
  const time = (n: number) => {
    const dst: Record<string, string> = {};
    const prov: ProvenanceMap = new Map();
    const src: Record<string, string> = {};
    const srcProv: ProvenanceMap = new Map();
    for (let i = 0; i < n; i++) {
      dst[`k${i}`] = 'a';
      prov.set(`/k${i}`, [{ file: 'a', layer: stepLayer('resource'), value: 'a' }]);
      src[`k${i}`] = 'b';
      srcProv.set(`/k${i}`, [{ file: 'b', layer: stepLayer('patches'), value: 'b' }]);
    }
    const started = process.hrtime.bigint();
    mergeValues(dst, src, srcProv, prov, '');
    assert.equal(prov.get(`/k${n - 1}`)?.length, 2);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  time(1000);
  assert.ok(time(40000) < 2000, 'a quadratic merge of 40,000 keys takes minutes');
  void helmReleaseValues;
});

test('warnings of the YAML library never reach stderr (the server log shows stderr as errors)', () => {
  const m = fleetWith('? [a, b]\n: 1\n', '    replicaCount: 1\n', '? [x]\n: y\n');
  fs.writeFileSync(m.file('repo/app/collection-key.yaml'), '? {a: 1}\n: x\n');
  const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/cli.js'), 'check', '--format', 'json', m.file('repo')], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  JSON.parse(r.stdout);
  assert.equal(r.stderr, '');
});

test('20,000 unclosed brackets on one line parse in well under a second per parse (errors capped, no per-error line copy)', () => {
  const text = '- op: remove\n  path: /x\n\ndeep: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n';
  const started = Date.now();
  for (let i = 0; i < 3; i++) {
    const [doc] = parseYamlAll(text);
    assert.ok(doc.errors.length > 0 && doc.errors.length <= 51);
  }
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test('2,000 Flux Kustomizations building one folder: the folder entries are compared once, not per Kustomization', () => {
  const m = fleetWith('a: 1');
  const sync = fs.readFileSync(m.file('repo/clusters/prod/sync.yaml'), 'utf8');
  const ks = sync.slice(sync.indexOf('apiVersion: kustomize.toolkit'));
  // A folder without a kustomization.yaml: Flux generates one listing its files.
  const many = Array.from({ length: 2000 }, (_, i) => ks.replace('name: app', `name: app-${i}`).replace('path: ./app', 'path: ./plain')).join('\n---\n');
  fs.mkdirSync(m.file('repo/plain'));
  fs.writeFileSync(m.file('repo/plain/many.yaml'), many);
  fs.writeFileSync(m.file('repo/plain/cms.yaml'), Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: apps}`).join('\n---\n'));
  const fleet = loadFleet(m.file('repo'));
  const started = Date.now();
  void fleet.links;
  // A guard against a hang (comparing per Kustomization took minutes), not a timing: the bench measures speed.
  assert.ok(Date.now() - started < 60_000, `linking took ${Date.now() - started} ms`);
});

test('2,000 copies of one HelmRelease that depends on its own name: references and dependsOn edges stay bounded', () => {
  const m = fleetWith('a: 1');
  const hr = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: copy, namespace: apps}\nspec:\n  interval: 1m\n  dependsOn: [{name: copy}]\n  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: r}}}\n';
  fs.writeFileSync(m.file('repo/app/copies.yaml'), Array(2000).fill(hr).join('---\n'));
  const fleet = loadFleet(m.file('repo'));
  const started = Date.now();
  const findings = fleet.links.findings;
  // A guard against a hang (quadratic linking of 2,000 copies took minutes), not a timing: the bench measures speed.
  assert.ok(Date.now() - started < 60_000, `linking took ${Date.now() - started} ms`);
  assert.ok(findings.filter((f) => f.code === 'dependency-cycle').length <= 2000 * 20);
  assert.ok(findings.every((f) => f.message.length < 10_000));
});

test('references in one file to 2,000 copies of one object: the object index is asked once per file and name', () => {
  const m = fleetWith('a: 1');
  const hr = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: copy, namespace: apps}\nspec:\n  interval: 1m\n  dependsOn: [{name: copy}]\n  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: r}}}\n';
  fs.writeFileSync(m.file('repo/app/copies.yaml'), Array(2000).fill(hr).join('---\n'));
  const fleet = loadFleet(m.file('repo'));
  const find = ObjectIndex.prototype.find;
  let asked = 0;
  ObjectIndex.prototype.find = function (this: ObjectIndex, ...args: Parameters<ObjectIndex['find']>) {
    if (args[1] === 'copy') asked++;
    return find.apply(this, args);
  };
  try {
    void fleet.links;
  } finally {
    ObjectIndex.prototype.find = find;
  }
  // Before: once per reference (2,000 dependsOn), each answer 2,000 objects long: quadratic.
  assert.ok(asked > 0 && asked <= 8, `asked ${asked} times`);
  assert.ok(fleet.links.refsByFile.get(m.file('repo/app/copies.yaml'))?.some((r) => r.kind === 'object'));
});

test('a text of 4,000 documents is scanned for anchors once, not once per document', () => {
  const text = Array(4000).fill('a: 1\nb: [x, y]\n').join('---\n');
  const parsed = parseText(text);
  const includes = String.prototype.includes;
  let scans = 0;
  String.prototype.includes = function (this: string, ...args: Parameters<string['includes']>) {
    if (this.length === text.length) scans++;
    return includes.apply(this, args);
  };
  try {
    for (let i = 0; i < parsed.docs.length; i++) assert.equal(parsed.anchorError(i), undefined);
  } finally {
    String.prototype.includes = includes;
  }
  assert.ok(scans <= 3, `scanned ${scans} times`);
});

/** A disk that says which files were read whole (readFile, readBytes, or a bounded read that returned the text). */
class RecordingFileSystem extends NodeFileSystem {
  readonly wholeReads = new Set<string>();
  override readFile(p: string) {
    this.wholeReads.add(p);
    return super.readFile(p);
  }
  override readBytes(p: string) {
    this.wholeReads.add(p);
    return super.readBytes(p);
  }
  override readFileLimited(p: string, max: number) {
    const r = super.readFileLimited(p, max);
    if (r && 'text' in r) this.wholeReads.add(p);
    return r;
  }
}

test('the 4 MB limit holds for every file a build reads: resources, patches, kustomization files, chart values, .flux-fleet.yaml', () => {
  const sync = (name: string, path: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: flux-system}
spec: {interval: 10m, path: ${path}, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`;
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://example.com/fleet: .
//- repo/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://example.com/fleet}
${sync('resource', './resource')}${sync('patch', './patch')}${sync('base', './base')}${sync('release', './release')}
//- repo/resource/kustomization.yaml
resources: [small.yaml, big.yaml]
//- repo/resource/small.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: small, namespace: apps}
//- repo/patch/kustomization.yaml
resources: [../resource/small.yaml]
patches:
  - path: big-patch.yaml
//- repo/base/kustomization.yaml
resources: [../huge-kustomization]
//- repo/release/kustomization.yaml
resources: [release.yaml]
//- repo/release/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
  values:
    replicaCount: 1
//- repo/charts/web/Chart.yaml
apiVersion: v2
name: web
version: 1.0.0
`);
  const big = (head: string) => head + 'x'.repeat(MAX_YAML_BYTES + 10) + '\n';
  const files = {
    resource: m.file('repo/resource/big.yaml'),
    patch: m.file('repo/patch/big-patch.yaml'),
    kustomization: m.file('repo/huge-kustomization/kustomization.yaml'),
    chart: m.file('repo/charts/web/values.yaml'),
  };
  fs.writeFileSync(files.resource, big('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: apps}\ndata:\n  blob: '));
  fs.writeFileSync(files.patch, big('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small, namespace: apps}\ndata:\n  blob: '));
  fs.mkdirSync(path.dirname(files.kustomization));
  fs.writeFileSync(files.kustomization, big('resources: []\n# '));
  fs.writeFileSync(files.chart, big('replicaCount: 3\nblob: '));
  const disk = new RecordingFileSystem();
  const started = Date.now();
  const fleet = new Fleet(disk, { roots: [m.file('repo')] });
  fleet.load();
  const limits = checkFindings(fleet, true, false)
    .filter((f) => f.code === 'limit-exceeded')
    .map((f) => `${path.relative(m.dir, f.file)}:${fleet.facts.get(f.file)!.text.slice(f.span.start, f.span.end)} ${f.severity} ${f.message.replace(/\d{7,}/g, 'N')}`)
    .sort();
  assert.ok(Date.now() - started < 15000, 'bounded');
  assert.deepEqual(limits, [
    "repo/base/kustomization.yaml:../huge-kustomization warning limit exceeded: '../huge-kustomization/kustomization.yaml' is N bytes, more than the N bytes read of a file; it is not read, so this build stops here",
    "repo/patch/kustomization.yaml:big-patch.yaml warning limit exceeded: 'big-patch.yaml' is N bytes, more than the N bytes read of a file; it is not read, so this build stops here",
    `repo/release/release.yaml:./charts/web warning limit exceeded: the chart's values.yaml (${files.chart}) is N bytes, more than the N bytes read of a file; its defaults are not read (in flux-system/release (repo/clusters/prod))`,
    "repo/resource/kustomization.yaml:big.yaml warning limit exceeded: 'big.yaml' is N bytes, more than the N bytes read of a file; it is not read, so this build stops here",
  ]);
  for (const f of Object.values(files)) assert.ok(!disk.wholeReads.has(f), `${path.relative(m.dir, f)} was read whole`);
  // Never "not found": the files are there.
  assert.ok(!checkFindings(fleet, true, false).some((f) => f.code === 'kustomize-build-error'), 'no build error');
});

test('a .flux-fleet.yaml over the 4 MB limit is not read: limit-exceeded on it', () => {
  const m = materialize(`
//- repo/app/kustomization.yaml
resources: []
`);
  const config = m.file('repo/.flux-fleet.yaml');
  fs.writeFileSync(config, 'repositories: {}\n# ' + 'x'.repeat(MAX_YAML_BYTES + 10) + '\n');
  const disk = new RecordingFileSystem();
  const fleet = new Fleet(disk, { roots: [m.file('repo')] });
  fleet.load();
  const found = checkFindings(fleet, true, false).filter((f) => f.code === 'limit-exceeded');
  assert.deepEqual(found.map((f) => path.relative(m.dir, f.file)), ['repo/.flux-fleet.yaml']);
  assert.match(found[0].message, /is \d+ bytes, more than the 4194304 bytes read of a file; it is not read/);
  assert.ok(!disk.wholeReads.has(config));
});

test('values nested too deep are limit-exceeded at their spot: inline spec.values, a | block, a generator literal and file', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://example.com/fleet: .
//- repo/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://example.com/fleet}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app, namespace: flux-system}
spec: {interval: 10m, path: ./app, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
//- repo/app/kustomization.yaml
resources: [release.yaml, block-values.yaml]
configMapGenerator:
  - name: literal-values
    namespace: apps
    literals:
      - 'values.yaml=literal: ${deep(300)}'
  - name: file-values
    namespace: apps
    files: [values.yaml=file-values.txt]
generatorOptions: {disableNameSuffixHash: true}
//- repo/app/file-values.txt
fromFile: 1
file: ${deep(300)}
//- repo/app/block-values.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: block-values, namespace: apps}
data:
  values.yaml: |
    fromBlock: 1
    block: ${deep(300)}
//- repo/app/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 10m
  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: r}}}
  valuesFrom:
    - {kind: ConfigMap, name: block-values}
    - {kind: ConfigMap, name: literal-values}
    - {kind: ConfigMap, name: file-values}
  values:
    replicaCount: 1
    inline: ${deep(300)}
`);
  const fleet = loadFleet(m.file('repo'));
  const found = checkFindings(fleet, true, false).filter((f) => f.code === 'limit-exceeded');
  const at = (f: (typeof found)[number]) => {
    const text = fleet.facts.get(f.file)?.text ?? fs.readFileSync(f.file, 'utf8');
    const line = text.slice(0, f.span.start).split('\n').length;
    const lineText = text.split('\n')[line - 1];
    return `${path.relative(m.dir, f.file)}:${line} ${lineText.trim().split(':')[0]} ${text.slice(f.span.start, f.span.start + 3)}…${text.slice(f.span.end - 3, f.span.end)}`;
  };
  assert.deepEqual(found.map(at).sort(), [
    'repo/app/block-values.yaml:7 block [[[…]]]',
    'repo/app/file-values.txt:2 file [[[…]]]',
    "repo/app/kustomization.yaml:6 - 'values.yaml=literal 'va…]]'", // the literal (its text is not the values text)
    'repo/app/release.yaml:13 inline [[[…]]]',
  ]);
  for (const f of found) assert.match(f.message, /limit exceeded: .*nested deeper than 256 levels/);
  // Only the too-deep part is cut: the HelmRelease is there, and so are its other values.
  const release = m.file('repo/app/release.yaml');
  assert.deepEqual(fleet.facts.get(release)!.objects.map((o) => `${o.kind}/${o.name}`), ['HelmRelease/web']);
  const values = helmReleaseValues(fleet, allContexts(fleet, rootKustomizations(fleet))[0].build.resources.find((r) => r.obj.kind === 'HelmRelease')!, allContexts(fleet, rootKustomizations(fleet))[0].build.resources);
  assert.deepEqual(Object.keys(values.values).sort(), ['block', 'file', 'fromBlock', 'fromFile', 'inline', 'literal', 'replicaCount']);
});

test('deploy chains pass each file once: 300 copies of a self-managing flux-system in one file (fuzz seed 7 case 191)', { timeout: 20000 }, () => {
  const one = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/prod, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`;
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://example.com/fleet: .
//- repo/clusters/prod/source.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://example.com/fleet}
//- repo/clusters/prod/sync.yaml
${one}
`);
  const sync = m.file('repo/clusters/prod/sync.yaml');
  const fleet = loadFleet(m.file('repo'));
  assert.deepEqual(deployChains(fleet, sync).map((c) => c.map((k) => k.name)), [['flux-system']], 'one self-managing root');
  fs.writeFileSync(sync, Array(300).fill(one).join('---\n'));
  fleet.fileChanged(sync);
  const started = Date.now();
  const chains = deployChains(fleet, sync);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.equal(chains.length, 200, 'bounded');
  assert.ok(chains.every((c) => c.length === 1), 'each copy deploys its own file: a root');
});

test('check evaluates every context: 2,100 roots (beyond the editor background cap of 2,000) each report their own undefined variable', () => {
  const m = materialize('//- repo/.git/config\n[remote "origin"]\n  url = https://example.com/repo\n');
  const roots: string[] = [];
  for (let i = 0; i < 2100; i++) {
    fs.mkdirSync(m.file(`repo/apps/a${i}`), { recursive: true });
    fs.writeFileSync(m.file(`repo/apps/a${i}/cm.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a${i}}\ndata: {v: "\${MISSING}"}\n`);
    roots.push(`apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a${i}, namespace: flux-system}\nspec:\n  interval: 1m\n  path: ./apps/a${i}\n  prune: true\n  sourceRef: {kind: GitRepository, name: repo}\n  postBuild: {substitute: {X: "1"}}\n`);
  }
  fs.mkdirSync(m.file('repo/clusters'), { recursive: true });
  fs.writeFileSync(m.file('repo/clusters/roots.yaml'), `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: repo, namespace: flux-system}\nspec: {url: https://example.com/repo, interval: 1m}\n---\n` + roots.join('---\n'));
  const fleet = loadFleet(m.file('repo'));
  const undefinedVars = checkFindings(fleet, true, false).filter((f) => f.code === 'undefined-variable');
  assert.equal(new Set(undefinedVars.map((f) => f.file)).size, 2100);
});
