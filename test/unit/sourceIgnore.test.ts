// What a source's artifact holds, by source-controller's rules (core/link/sourceIgnore.ts, ignorePattern.ts): every
// `.sourceignore` of the tree relative to its folder, spec.ignore last, the defaults only while no pattern exists, the
// Bucket's own rules; and the builds, path findings and change impact that read only the artifact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { compileElement, compileElementRe, matchPattern, parsePattern, patternLines } from '../../server/src/core/link/ignorePattern';
import { artifactFilter, artifactRules, type ArtifactRules } from '../../server/src/core/link/sourceIgnore';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import type { Fleet } from '../../server/src/core/model';
import { scenario, impactLines } from '../helpers/impact';

/** The last pattern matching decides (as go-git's matcher): 'exclude' | 'include' | undefined. */
function decide(lines: string[], rel: string, isDir = false): string | undefined {
  const ps = lines.map((l) => parsePattern(l, []));
  for (let i = ps.length - 1; i >= 0; i--) {
    const r = matchPattern(ps[i], rel.split('/'), isDir);
    if (r) return r;
  }
  return undefined;
}

test('patterns as go-git reads them: any element, anchored with a slash, ** and folders', () => {
  // Without a slash: any element below the domain, so a folder's name excludes everything in it.
  assert.equal(decide(['secret'], 'a/secret/x.yaml'), 'exclude');
  assert.equal(decide(['*.yaml'], 'a/b.yaml'), 'exclude');
  // `name/`: a folder; a file of that name is not matched, files inside it are.
  assert.equal(decide(['build/'], 'x/build'), undefined);
  assert.equal(decide(['build/'], 'x/build', true), 'exclude');
  assert.equal(decide(['build/'], 'x/build/out.yaml'), 'exclude');
  // With a slash: from the domain, element by element, and everything below what it names.
  assert.equal(decide(['/apps/dev'], 'apps/dev/web.yaml'), 'exclude');
  assert.equal(decide(['apps/dev'], 'x/apps/dev/web.yaml'), undefined);
  assert.equal(decide(['**/dev'], 'x/apps/dev/web.yaml'), 'exclude');
  assert.equal(decide(['apps/**'], 'apps/a/b.yaml'), 'exclude');
  assert.equal(decide(['apps/**/web.yaml'], 'apps/a/b/web.yaml'), 'exclude');
  assert.equal(decide(['apps/x**'], 'apps/xy'), undefined, 'an element holding ** besides itself never matches');
  // The last matching pattern wins, and a `!` brings a file back even below an excluded folder (unlike git).
  assert.equal(decide(['apps/', '!apps/prod/'], 'apps/prod/web.yaml'), 'include');
  assert.equal(decide(['apps/', '!apps/prod/'], 'apps/dev/web.yaml'), 'exclude');
  assert.equal(decide(['!keep.yaml', '*.yaml'], 'keep.yaml'), 'exclude');
  // Go's filepath.Match per element: classes with ^, escapes; a malformed one never matches.
  assert.equal(decide(['[^a]*.yaml'], 'b.yaml'), 'exclude');
  assert.equal(decide(['[^a]*.yaml'], 'a.yaml'), undefined);
  assert.equal(decide(['[!a]*.yaml'], 'b.yaml'), undefined, '! is no negation in Go classes');
  assert.equal(decide(['\\#x'], '#x'), 'exclude');
  assert.equal(compileElement('[a'), null);
  assert.equal(compileElement('a\\'), null);
  assert.equal(compileElement('[]a]'), null);
  assert.equal(decide(['{a,b}.yaml'], 'a.yaml'), undefined, 'no braces in Go patterns');
  assert.equal(decide(['{a,b}.yaml'], '{a,b}.yaml'), 'exclude');
  // Trailing blanks go unless escaped; comments and blank lines are no patterns; CRLF lines read as LF.
  assert.equal(decide(['a.yaml   '], 'a.yaml'), 'exclude');
  assert.deepEqual(patternLines('# c\r\n\r\n  \r\nx.yaml\r\n #y\n'), ['x.yaml', ' #y']);
});

test('an element matched by a string comparison answers as its regular expression', () => {
  // Literals, `*x`, `x*` are compared as strings (Flux's defaults: every read of every build asks them).
  const patterns = ['*.tar.gz', '*.jpg', '.travis.yml', 'appveyor.yml', '*', 'docs*', '.git', '', 'a.b', '*.', 'é*', '*ü.yaml'];
  const names = ['x.tar.gz', '.tar.gz', 'tar.gz', 'x.tar.gzz', 'a.jpg', 'jpg', '.travis.yml', 'x.travis.yml', 'appveyor.yml', 'docs', 'docs-x', 'adocs', '', '.git', '.gitx', 'a.b', 'axb', 'x.', 'é', 'éa', 'aü.yaml', 'ü.yaml', 'a\nb.jpg'];
  for (const p of patterns) {
    const re = compileElementRe(p)!;
    const fast = compileElement(p)!;
    assert.ok(!(fast instanceof RegExp), `${p} is compared as a string`);
    for (const n of names) assert.equal(fast.test(n), re.test(n), `${JSON.stringify(p)} on ${JSON.stringify(n)}`);
  }
  assert.ok(compileElement('a*b') instanceof RegExp);
  assert.ok(compileElement('*.ya?l') instanceof RegExp);
  assert.ok(compileElement('\\*x') instanceof RegExp);
});

/** Every file of the source's folder its artifact holds (relative), as source-controller would archive it. */
function artifactFiles(fleet: Fleet, root: string, rules?: ArtifactRules): string[] {
  const f = artifactFilter(fleet, root, rules);
  return [...fleet.tree.allFiles()].filter((p) => p.startsWith(root + '/') && !f.excluded(p)).map((p) => path.relative(root, p)).sort();
}

const TREE = `
//- repo/.sourceignore
# the root's rules
docs/
*.md
!apps/README.md
//- repo/apps/.sourceignore
/dev
!keep.md
//- repo/apps/dev/web.yaml
a: 1
//- repo/apps/prod/web.yaml
a: 1
//- repo/apps/prod/notes.md
x
//- repo/apps/README.md
x
//- repo/apps/keep.md
x
//- repo/dev/web.yaml
a: 1
//- repo/docs/guide.yaml
a: 1
//- repo/logo.png
x
//- repo/cloudbuild.yaml
a: 1
//- repo/.gitignore
x
//- repo/sub/.sops.yaml
a: 1
`;

test('the artifact of a GitRepository: nested .sourceignore files relative to their folder, defaults dropped by any pattern', () => {
  const m = materialize(TREE);
  const fleet = loadFleet(m.dir);
  const root = m.file('repo');
  // Worked out by source-controller's rules: root patterns, then apps/'s (domain apps), VCS always, no defaults
  // (there are patterns): logo.png, cloudbuild.yaml and sub/.sops.yaml stay.
  assert.deepEqual(artifactFiles(fleet, root), [
    '.sourceignore',
    'apps/.sourceignore',
    'apps/README.md',
    'apps/keep.md',
    'apps/prod/web.yaml',
    'cloudbuild.yaml',
    'dev/web.yaml',
    'logo.png',
    'sub/.sops.yaml',
  ]);
  // spec.ignore comes last and wins; the nested file's `/dev` is apps/dev only.
  assert.deepEqual(artifactFiles(fleet, root, artifactRules('GitRepository', { owner: { file: '', doc: 0 }, kind: 'GitRepository', ignore: '!docs/guide.yaml\n/dev/\n' })), [
    '.sourceignore',
    'apps/.sourceignore',
    'apps/README.md',
    'apps/keep.md',
    'apps/prod/web.yaml',
    'cloudbuild.yaml',
    'docs/guide.yaml',
    'logo.png',
    'sub/.sops.yaml',
  ]);
  // A Bucket: only the root's .sourceignore (not downloaded itself), no VCS and no default patterns.
  assert.deepEqual(artifactFiles(fleet, root, artifactRules('Bucket')), ['.gitignore', 'apps/.sourceignore', 'apps/README.md', 'apps/dev/web.yaml', 'apps/prod/web.yaml', 'cloudbuild.yaml', 'dev/web.yaml', 'logo.png', 'sub/.sops.yaml']);
  // An OCI layer copied as is: everything.
  assert.equal(artifactFiles(fleet, root, artifactRules('OCIRepository', { owner: { file: '', doc: 0 }, kind: 'OCIRepository', layerOperation: 'copy' })).length, 13);
});

test('without any pattern the defaults apply: VCS files, images, CI files, .sops.yaml', () => {
  const m = materialize(TREE.replace(/\/\/- repo\/\.sourceignore[\s\S]*?(?=\/\/- repo\/apps\/\.sourceignore)/, '').replace(/\/\/- repo\/apps\/\.sourceignore\n\/dev\n!keep\.md\n/, '//- repo/apps/.sourceignore\n# only a comment\n'));
  const fleet = loadFleet(m.dir);
  assert.deepEqual(artifactFiles(fleet, m.file('repo')), [
    'apps/.sourceignore',
    'apps/README.md',
    'apps/dev/web.yaml',
    'apps/keep.md',
    'apps/prod/notes.md',
    'apps/prod/web.yaml',
    'dev/web.yaml',
    'docs/guide.yaml',
  ]);
  // An empty spec.ignore is no pattern either; one line in it drops the defaults.
  assert.equal(artifactFiles(fleet, m.file('repo'), artifactRules('GitRepository', { owner: { file: '', doc: 0 }, kind: 'GitRepository', ignore: '' })).length, 8);
  assert.deepEqual(artifactFiles(fleet, m.file('repo'), artifactRules('GitRepository', { owner: { file: '', doc: 0 }, kind: 'GitRepository', ignore: 'docs/' })).filter((f) => !f.startsWith('apps/')), ['cloudbuild.yaml', 'dev/web.yaml', 'logo.png', 'sub/.sops.yaml']);
});

const FLEET = (extra: string, ignore = '') => `
//- .git/config
[remote "origin"]
\turl = https://github.com/acme/fleet
//- clusters/prod/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/fleet
  ref:
    branch: main
${ignore}---
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
//- clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- apps/web/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: web, namespace: shop}
//- apps/web/scratch/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: scratch, namespace: shop}
//- apps/cloudbuild.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: cloudbuild, namespace: shop}
${extra}`;

/** Per context: its objects (kind/name) and its build issues' messages. */
function builds(fleet: Fleet): string[] {
  const out: string[] = [];
  for (const c of allContexts(fleet, rootKustomizations(fleet))) {
    const b = c.build;
    out.push(`${contextLabel(c.id).replace(/^.*?: /, '')}: ${b.resources.map((r) => `${r.obj.kind}/${(r.obj.metadata as { name: string }).name}`).join(' ')}${b.missingPath !== undefined ? ` missing ${b.missingPath}` : ''}${b.issues.map((i) => ` ! ${i.message.replace(/\/tmp\/ff-fixture-\w+\//g, '')}`).join('')}`);
  }
  return out;
}

test('a generated kustomization lists what the artifact holds: nested .sourceignore, negation below an excluded folder', () => {
  const m = materialize(FLEET('//- apps/web/.sourceignore\nscratch/\n'));
  const fleet = loadFleet(m.dir);
  // apps/web/.sourceignore drops scratch/; that one pattern drops the defaults too, so cloudbuild.yaml is in.
  assert.deepEqual(builds(fleet)[1], 'flux-system/flux-system > flux-system/apps: ConfigMap/cloudbuild ConfigMap/web');
  const n = materialize(FLEET('//- .sourceignore\napps/web/\n!apps/web/scratch/\n'));
  // A `!` brings back a folder below an excluded one (each path decided on its own, unlike git).
  assert.deepEqual(builds(loadFleet(n.dir))[1], 'flux-system/flux-system > flux-system/apps: ConfigMap/cloudbuild ConfigMap/scratch');
  // No pattern at all: Flux's defaults leave cloudbuild.yaml out.
  assert.deepEqual(builds(loadFleet(materialize(FLEET('')).dir))[1], 'flux-system/flux-system > flux-system/apps: ConfigMap/web ConfigMap/scratch');
});

test("spec.ignore wins over the .sourceignore files, and a resource the artifact leaves out fails the build as in Flux", () => {
  const m = materialize(FLEET('//- .sourceignore\napps/web/scratch/\n', '  ignore: |\n    !apps/web/scratch/\n    apps/web/cm.yaml\n'));
  const fleet = loadFleet(m.dir);
  assert.deepEqual(builds(fleet)[1], 'flux-system/flux-system > flux-system/apps: ConfigMap/cloudbuild ConfigMap/scratch');
  // A kustomization.yaml naming an excluded file: kustomize-controller finds no such file in the artifact.
  const k = materialize(FLEET('//- .sourceignore\napps/web/scratch/\n//- apps/kustomization.yaml\nresources:\n  - web/cm.yaml\n  - web/scratch/cm.yaml\n'));
  const [, apps] = builds(loadFleet(k.dir));
  assert.match(apps, /^flux-system\/flux-system > flux-system\/apps: {2}! .*web\/scratch\/cm\.yaml/);
  // The same with the file in the artifact builds.
  const ok = materialize(FLEET('//- .sourceignore\nnothing-here/\n//- apps/kustomization.yaml\nresources:\n  - web/cm.yaml\n  - web/scratch/cm.yaml\n'));
  assert.equal(builds(loadFleet(ok.dir))[1], 'flux-system/flux-system > flux-system/apps: ConfigMap/web ConfigMap/scratch');
});

test('a spec.path the artifact leaves out is path-not-found, in the links and in the evaluation', () => {
  const m = materialize(FLEET('//- .sourceignore\n/apps/\n'));
  const fleet = loadFleet(m.dir);
  const f = fleet.links.findings.find((x) => x.code === 'path-not-found');
  assert.ok(f, 'a path-not-found finding');
  assert.match(f!.message, /spec\.path '\.\/apps' is left out of the source's artifact \(excluded by .*\/\.sourceignore\)/);
  assert.equal(builds(fleet)[1], 'flux-system/flux-system > flux-system/apps:  missing ./apps');
  // A `!` bringing one file back: the folder exists in the artifact again.
  const n = materialize(FLEET('//- .sourceignore\n/apps/\n!apps/web/cm.yaml\n'));
  const back = loadFleet(n.dir);
  assert.equal(back.links.findings.filter((x) => x.code === 'path-not-found').length, 0);
  assert.equal(builds(back)[1], 'flux-system/flux-system > flux-system/apps: ConfigMap/web');
});

test('change impact: an excluded file changes no cluster; a .sourceignore edit changes what is deployed', () => {
  const spec = FLEET('//- .sourceignore\napps/web/scratch/\n');
  const quiet = scenario(spec, { 'apps/web/scratch/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: scratch2, namespace: shop}\n' });
  assert.deepEqual(impactLines(quiet), []);
  assert.equal(quiet.impact.changedFiles.length, 1);
  const loud = scenario(spec, { '.sourceignore': 'apps/web/scratch/\napps/cloudbuild.yaml\n' });
  assert.deepEqual(
    impactLines(loud).map((l) => l.replace(/ff-fixture-\w+/g, '*')),
    [
      'context */clusters/prod/flux-system: flux-system/flux-system > flux-system/apps changed prune',
      '  removed ConfigMap shop/cloudbuild',
      'danger warning prune-deletes @.sourceignore:2 [1] Kustomization flux-system/apps (prune: true) deletes 1 object: ConfigMap shop/cloudbuild.',
    ],
  );
  // spec.ignore edited in the GitRepository: the contexts built from that source are compared.
  const viaSpec = scenario(spec, { 'clusters/prod/flux-system/gotk-sync.yaml': spec.split('//- clusters/prod/flux-system/gotk-sync.yaml\n')[1].split('//- clusters/prod/apps.yaml')[0].replace('    branch: main\n', '    branch: main\n  ignore: apps/web/cm.yaml\n') });
  assert.ok(impactLines(viaSpec).some((l) => l === '  removed ConfigMap shop/web'), impactLines(viaSpec).join('\n'));
});

test("the filters of many source roots scan the fleet's files for .sourceignore once per link epoch, and see a new one", () => {
  const m = materialize(`
//- a/.sourceignore
x.yaml
//- a/x.yaml
a: 1
//- b/x.yaml
a: 1
//- c/x.yaml
a: 1
`);
  const fleet = loadFleet(m.dir);
  let scans = 0;
  const allFiles = fleet.tree.allFiles.bind(fleet.tree);
  fleet.tree.allFiles = () => {
    scans++;
    return allFiles();
  };
  const excluded = () => ['a', 'b', 'c'].map((dir) => artifactFilter(fleet, m.file(dir)).excluded(m.file(`${dir}/x.yaml`)));
  assert.deepEqual(excluded(), [true, false, false]);
  assert.equal(scans, 1, 'one scan for the three source roots');
  fs.writeFileSync(m.file('c/.sourceignore'), 'x.yaml\n');
  fleet.fileChanged(m.file('c/.sourceignore'));
  assert.deepEqual(excluded(), [true, false, true]);
  assert.equal(scans, 2, 'one scan again, after the file was added');
});

test('source roots with the same patterns share their answers by relative path; other patterns, or the same line in another folder, decide apart', () => {
  const m = materialize(`
//- a/x.yaml
a: 1
//- a/logo.png
png
//- b/x.yaml
a: 1
//- b/logo.png
png
//- c/.sourceignore
x.yaml
//- c/x.yaml
a: 1
//- c/logo.png
png
//- d/sub/.sourceignore
x.yaml
//- d/x.yaml
a: 1
//- d/sub/x.yaml
a: 1
`);
  const fleet = loadFleet(m.dir);
  const excluded = (rel: string) => ['a', 'b', 'c', 'd'].map((dir) => artifactFilter(fleet, m.file(dir)).excluded(m.file(`${dir}/${rel}`)));
  // a and b: Flux's defaults (an image is left out); c: its own pattern, no defaults; d: the pattern is sub/'s only.
  assert.deepEqual(excluded('x.yaml'), [false, false, true, false]);
  assert.deepEqual(excluded('logo.png'), [true, true, false, false]);
  assert.equal(artifactFilter(fleet, m.file('d')).excluded(m.file('d/sub/x.yaml')), true);
  assert.equal(fleet.db.stats().ignoreAnswers?.size, 3, "a's and b's patterns are one set: their answers are shared");
});
