// Every quick-fix the server offers, applied to the same inputs written four ways (LF, CRLF, with a BOM, both), with
// comments above, inline and below the edited lines, tabs and odd indentation: the result is the expected text, byte
// for byte, in the input's own style — a CRLF file never gets `\r\r\n` or a bare `\n`, the BOM stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deprecationFixes } from '../../server/src/features/deprecatedApi';
import { codeActionsFor } from '../../server/src/features/codeActions';
import { lockCodeActions } from '../../server/src/features/locks';
import { locksFindings } from '../../server/src/core/locks/check';
import { applyEdits, EditText } from '../../server/src/core/yamlEdit/source';
import { loadFleet, materialize } from '../helpers/fixture';
import type { Fleet } from '../../server/src/core/model';
import { tempDir } from '../helpers/tempDir';

const STYLES: Array<{ name: string; of: (lf: string) => string }> = [
  { name: 'LF', of: (s) => s },
  { name: 'CRLF', of: (s) => s.replace(/\n/g, '\r\n') },
  { name: 'BOM', of: (s) => '\uFEFF' + s },
  { name: 'BOM+CRLF', of: (s) => '\uFEFF' + s.replace(/\n/g, '\r\n') },
];

/** A CRLF text has only CRLF line ends; an LF one only LF; a BOM only at the start. */
function assertStyle(style: string, text: string, what: string): void {
  if (style.includes('CRLF')) {
    assert.ok(!/\r\r/.test(text), `${what}: \\r\\r in ${JSON.stringify(text)}`);
    assert.ok(!/(^|[^\r])\n/.test(text), `${what}: a bare \\n in ${JSON.stringify(text)}`);
  } else assert.ok(!text.includes('\r'), `${what}: \\r in an LF file`);
  assert.equal(text.startsWith('\uFEFF'), style.includes('BOM'), `${what}: BOM`);
  assert.ok(!text.slice(1).includes('\uFEFF'), `${what}: a second BOM`);
}

// ---------------------------------------------------------------------------------------------------------------
// deprecated-api: every kind of fix, on texts

interface Row {
  name: string;
  file: string;
  needle: string;
  title: string;
  input: string;
  expected: string;
}

const ROWS: Row[] = [
  {
    name: "bases → resources (appended; odd indentation; comments above, between, inline, after; a tab)",
    file: '/r/kustomization.yaml',
    needle: '\nbases:',
    title: "Replace 'bases' with 'resources'",
    input: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
# the bases we build on
bases:
   # shared
   - ../base\t# tab before the comment
   # more to come
resources:
   - deployment.yaml # ours
# below
`,
    expected: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
# the bases we build on
resources:
   - deployment.yaml # ours
   # shared
   - ../base\t# tab before the comment
   # more to come
# below
`,
  },
  {
    name: 'patchesStrategicMerge → patches, renamed in place (a file and an inline patch)',
    file: '/r/kustomization.yaml',
    needle: 'patchesStrategicMerge',
    title: "Replace 'patchesStrategicMerge' with 'patches'",
    input: `kind: Kustomization
patchesStrategicMerge:   # the old way
# a file
- patch.yaml # replicas
- |-
  apiVersion: v1
  kind: ConfigMap   # inline
  metadata:
    name: x
# after
`,
    expected: `kind: Kustomization
patches:   # the old way
# a file
- path: patch.yaml # replicas
- patch: |-
    apiVersion: v1
    kind: ConfigMap   # inline
    metadata:
      name: x
# after
`,
  },
  {
    name: 'patchesJson6902 → appended to patches, with its head comment',
    file: '/r/kustomization.yaml',
    needle: 'patchesJson6902',
    title: "Replace 'patchesJson6902' with 'patches'",
    input: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
patches:
  - path: a.yaml
patchesJson6902:
  # the ops
  - target:
      kind: Deployment
      name: web   # web only
    path: ops.yaml
`,
    expected: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
patches:
  - path: a.yaml
  # the ops
  - target:
      kind: Deployment
      name: web   # web only
    path: ops.yaml
`,
  },
  {
    name: 'commonLabels → labels (absent): key comment and label comments kept, 3-space indentation',
    file: '/r/kustomization.yaml',
    needle: 'commonLabels',
    title: "Replace 'commonLabels' with 'labels'",
    input: `kind: Kustomization
# labels for all
commonLabels: # set by the platform
   # the app
   app: web\t# tab
   team: a
resources:
- x.yaml
`,
    expected: `kind: Kustomization
# labels for all
labels: # set by the platform
- includeSelectors: true
  pairs:
     # the app
     app: web\t# tab
     team: a
resources:
- x.yaml
`,
  },
  {
    name: 'commonLabels → appended to labels',
    file: '/r/kustomization.yaml',
    needle: 'commonLabels',
    title: "Replace 'commonLabels' with 'labels'",
    input: `kind: Kustomization
labels:
  - pairs:
      tier: web
commonLabels:
  # the app
  app: web # label
`,
    expected: `kind: Kustomization
labels:
  - pairs:
      tier: web
  - includeSelectors: true
    pairs:
      # the app
      app: web # label
`,
  },
  {
    name: 'fix every deprecated field',
    file: '/r/kustomization.yaml',
    needle: 'commonLabels',
    title: 'Fix every deprecated field (kustomize edit fix)',
    input: `# overlay
kind: Kustomization
bases:
- ../base # base
patchesStrategicMerge:
- p.yaml
commonLabels:
  app: web # label
# end
`,
    expected: `# overlay
kind: Kustomization
resources:
- ../base # base
patches:
- path: p.yaml
labels:
- includeSelectors: true
  pairs:
    app: web # label
# end
`,
  },
  {
    name: 'HelmRelease v2beta1 → v2: quotes, valuesFile → valuesFiles, postRenderer patches, comments',
    file: '/r/hr.yaml',
    needle: 'helm.toolkit.fluxcd.io/v2beta1',
    title: 'Upgrade to helm.toolkit.fluxcd.io/v2',
    input: `apiVersion: 'helm.toolkit.fluxcd.io/v2beta1' # pinned
kind: HelmRelease
metadata:
  name: web
spec:
  chart:
    spec:
      chart: web
      # the prod values
      valuesFile: "values-prod.yaml"   # prod
      version: 1.x
  postRenderers:
    - kustomize:
        # our patches
        patchesStrategicMerge:
          - apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            # two replicas
            spec:
              replicas: 2
        patchesJson6902:
          - target:
              kind: Deployment
              name: web
            patch:
              - op: add   # label
                path: /metadata/labels/tier
                value: web
# end
`,
    expected: `apiVersion: 'helm.toolkit.fluxcd.io/v2' # pinned
kind: HelmRelease
metadata:
  name: web
spec:
  chart:
    spec:
      chart: web
      # the prod values
      valuesFiles: ["values-prod.yaml"]   # prod
      version: 1.x
  postRenderers:
    - kustomize:
        # our patches
        patches:
          - patch: |
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: web
              # two replicas
              spec:
                replicas: 2
          - target:
              kind: Deployment
              name: web
            patch: |
              - op: add   # label
                path: /metadata/labels/tier
                value: web
# end
`,
  },
  {
    name: 'Kustomization v1beta2 → v1: a removed field (its comment above stays), patches appended',
    file: '/r/ks.yaml',
    needle: 'kustomize.toolkit.fluxcd.io/v1beta2',
    title: 'Upgrade to kustomize.toolkit.fluxcd.io/v1',
    input: `apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: apps
spec:
  # client-side validation
  validation: client # gone in v1
  prune: true
  patches:
    - patch: |
        - op: add
          path: /x
          value: 1
      target:
        kind: Deployment
  patchesStrategicMerge:
    - apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web   # the web
`,
    expected: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  # client-side validation
  prune: true
  patches:
    - patch: |
        - op: add
          path: /x
          value: 1
      target:
        kind: Deployment
    - patch: |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web   # the web
`,
  },
  {
    name: 'GitRepository v1beta2 → v1 in the second document: gitImplementation removed',
    file: '/r/gr.yaml',
    needle: 'source.toolkit.fluxcd.io/v1beta2',
    title: 'Upgrade to source.toolkit.fluxcd.io/v1',
    input: `apiVersion: v1
kind: Namespace
metadata:
  name: a
---
# the source
apiVersion: "source.toolkit.fluxcd.io/v1beta2"
kind: GitRepository
metadata:
  name: a
spec:
  interval: 1m
  gitImplementation: go-git   # default
  url: https://example.com/a
`,
    expected: `apiVersion: v1
kind: Namespace
metadata:
  name: a
---
# the source
apiVersion: "source.toolkit.fluxcd.io/v1"
kind: GitRepository
metadata:
  name: a
spec:
  interval: 1m
  url: https://example.com/a
`,
  },
];

for (const row of ROWS) {
  for (const style of STYLES) {
    test(`deprecated-api ${style.name}: ${row.name}`, () => {
      const input = style.of(row.input);
      const at = input.indexOf(row.needle) + (row.needle.startsWith('\n') ? row.needle.length - 1 : 0);
      const actions = deprecationFixes(row.file, input, { start: at, end: at + 1 });
      const action = actions.find((a) => a.title === row.title);
      assert.ok(action, `no '${row.title}' among ${actions.map((a) => a.title).join(', ')}`);
      const out = applyEdits(input, action.edits);
      assert.equal(out, style.of(row.expected));
      assertStyle(style.name, out, row.name);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fixes that need a fleet: the fixture written in each style

/** Copies a fixture folder, every file's text written in `style`. */
function copyInStyle(from: string, of: (lf: string) => string): string {
  const dir = tempDir('ff-style-');
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        fs.mkdirSync(path.join(dir, r), { recursive: true });
        walk(r);
      } else {
        const text = fs.readFileSync(path.join(from, r), 'utf8');
        fs.writeFileSync(path.join(dir, r), r.endsWith('.yaml') || r.endsWith('.yml') ? of(text) : text);
      }
    }
  };
  walk('');
  return dir;
}

/**
 * File → text after the edits (relative paths; deleted files as null; created files from empty), applied as an editor
 * applies them: to the document's text, which holds no BOM (VS Code and Neovim keep it out of the text and write it
 * back on save; the server's offsets count the same way, core/textDecode.ts).
 */
function applied(fleet: Fleet, dir: string, a: { edits: Array<{ file: string; span: { start: number; end: number }; newText: string }>; deleteFiles?: string[]; createFiles?: string[] }): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const file of new Set(a.edits.map((e) => e.file))) {
    const disk = a.createFiles?.includes(file) ? '' : fs.readFileSync(file, 'utf8');
    const bom = disk.startsWith('\uFEFF') ? '\uFEFF' : '';
    const before = a.createFiles?.includes(file) ? '' : (fleet.overlays.get(file) ?? disk.slice(bom.length));
    out[path.relative(dir, file)] = bom + applyEdits(before, a.edits.filter((e) => e.file === file));
  }
  for (const file of a.deleteFiles ?? []) out[path.relative(dir, file)] = null;
  return out;
}

test('locks quick-fixes ("Remove this override", "Reset to the locked value") give the same text in every style', () => {
  const lockDir = path.resolve(__dirname, '../fixtures/locks');
  const results = STYLES.map((style) => {
    const dir = style.name === 'LF' ? lockDir : copyInStyle(lockDir, style.of);
    const fleet = loadFleet(dir);
    const findings = locksFindings(fleet).sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start);
    const rows: Array<{ what: string; files: Record<string, string | null> }> = [];
    for (const f of findings) {
      for (const a of lockCodeActions(fleet, f)) rows.push({ what: `${path.relative(dir, f.file)} ${a.title}`, files: applied(fleet, dir, a) });
    }
    return { style, rows };
  });
  const [lf, ...others] = results;
  assert.ok(lf.rows.length >= 10, `lock fixes: ${lf.rows.length}`);
  assert.ok(lf.rows.some((r) => r.what.includes('Reset')) && lf.rows.some((r) => r.what.includes('Remove')));
  for (const { style, rows } of others) {
    assert.deepEqual(
      rows.map((r) => r.what),
      lf.rows.map((r) => r.what),
      style.name,
    );
    rows.forEach((r, i) => {
      const want = Object.fromEntries(Object.entries(lf.rows[i].files).map(([f, t]) => [f, t === null ? null : style.of(t)]));
      assert.deepEqual(r.files, want, `${style.name}: ${r.what}`);
      for (const [f, t] of Object.entries(r.files)) if (t !== null) assertStyle(style.name, t, `${r.what} ${f}`);
    });
  }
});

const REFERENCES = `//- repo/.git/config
[remote "origin"]
\turl = https://github.com/acme/repo
//- repo/clusters/prod/apps.yaml
# the apps of prod
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  # where the apps are
  path: "./apps/prdo"\t# a typo
  prune: true
  sourceRef:
     kind: GitRepository
     name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/prod
  prune: true
  sourceRef:
     kind: GitRepository
     name: flux-sytem   # another one
# end
//- repo/clusters/prod/source.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/repo
//- repo/apps/prod/kustomization.yaml
resources: []
`;

for (const style of STYLES) {
  test(`reference fixes ${style.name}: "Change to …" keeps quotes and comments; "Create …/kustomization.yaml" writes the asking file's line ends`, () => {
    const m = materialize(REFERENCES.replace(/^(\/\/- .*\.yaml\n)([\s\S]*?)(?=^\/\/- |$(?![\s\S]))/gm, (_, head: string, body: string) => head + style.of(body)));
    const fleet = loadFleet(m.file('repo'));
    const file = m.file('repo/clusters/prod/apps.yaml');
    const lf = REFERENCES.split('//- repo/clusters/prod/apps.yaml\n')[1].split('//- ')[0];
    const pathFinding = fleet.links.findings.find((f) => f.code === 'path-not-found' && f.file === file);
    assert.ok(pathFinding, fleet.links.findings.map((f) => f.code).join(', '));
    const actions = codeActionsFor(fleet, pathFinding);
    const change = actions.find((a) => a.title === "Change to './apps/prod'")!;
    assert.deepEqual(applied(fleet, m.dir, change), { 'repo/clusters/prod/apps.yaml': style.of(lf.replace('"./apps/prdo"', '"./apps/prod"')) });
    const create = actions.find((a) => a.title === 'Create apps/prdo/kustomization.yaml')!;
    const created = applied(fleet, m.dir, create)['repo/apps/prdo/kustomization.yaml']!;
    assert.equal(created, style.of('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n').replace('\uFEFF', ''));
    const sourceFinding = fleet.links.findings.find((f) => f.code === 'source-not-found' && f.file === file);
    assert.ok(sourceFinding);
    const [source] = codeActionsFor(fleet, sourceFinding);
    assert.equal(source.title, "Change to 'flux-system'");
    assert.deepEqual(applied(fleet, m.dir, source), { 'repo/clusters/prod/apps.yaml': style.of(lf.replace('flux-sytem', 'flux-system')) });
    for (const out of [applied(fleet, m.dir, change), applied(fleet, m.dir, source)]) for (const t of Object.values(out)) assertStyle(style.name, t!, 'reference fix');
  });
}

/** A platform repository whose GitRepository points at an unmapped tenant repository; `config` is its .flux-fleet.yaml. */
function unmapped(config: string | undefined, of: (s: string) => string): { fleet: Fleet; dir: string; cfg: string } {
  const m = materialize(`//- tenant/.flux-fleet.yaml
repositories: {}
//- platform/.git/config
[remote "origin"]
\turl = https://github.com/acme/platform
//- platform/sync.yaml
`);
  if (config !== undefined) fs.writeFileSync(m.file('platform/.flux-fleet.yaml'), of(config));
  fs.writeFileSync(
    m.file('platform/sync.yaml'),
    of(`apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: tenant
  namespace: flux-system
spec:
  url: https://github.com/acme/tenant
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
  namespace: flux-system
spec:
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: tenant
`),
  );
  return { fleet: loadFleet(m.dir), dir: m.dir, cfg: m.file('platform/.flux-fleet.yaml') };
}

const MAPPINGS: Array<{ name: string; config: string | undefined; expected: string }> = [
  {
    name: 'after the last entry, at its indentation (3 spaces, a tab before the comment)',
    config: '# where sources live\nrepositories:\n   https://github.com/acme/platform: .\t# this one\n\n# the end\n',
    expected: '# where sources live\nrepositories:\n   https://github.com/acme/platform: .\t# this one\n   https://github.com/acme/tenant: ../tenant\n\n# the end\n',
  },
  { name: 'repositories: {} opened into a block', config: '# ours\nrepositories: {}   # none yet\n', expected: '# ours\nrepositories:\n  https://github.com/acme/tenant: ../tenant   # none yet\n' },
  { name: 'repositories: with nothing under it', config: 'repositories: # none\nlocks: []\n', expected: 'repositories: # none\n  https://github.com/acme/tenant: ../tenant\nlocks: []\n' },
  { name: 'no repositories: key', config: '# nothing mapped\nlocks: []', expected: '# nothing mapped\nlocks: []\nrepositories:\n  https://github.com/acme/tenant: ../tenant\n' },
  { name: 'no file', config: undefined, expected: 'repositories:\n  https://github.com/acme/tenant: ../tenant\n' },
];

for (const row of MAPPINGS) {
  for (const style of STYLES) {
    test(`"Map <url> to …" ${style.name}: ${row.name}`, () => {
      const { fleet, dir, cfg } = unmapped(row.config, style.of);
      const f = fleet.links.findings.find((x) => x.code === 'source-not-mapped');
      assert.ok(f, fleet.links.findings.map((x) => x.code).join(', '));
      const action = codeActionsFor(fleet, f).find((a) => a.title === 'Map https://github.com/acme/tenant to ../tenant');
      assert.ok(action, codeActionsFor(fleet, f).map((a) => a.title).join(', '));
      const out = applied(fleet, dir, action)['platform/.flux-fleet.yaml']!;
      // A new file has no BOM; its line ends are those of the file that asks for the mapping.
      const want = row.config === undefined ? style.of(row.expected).replace('\uFEFF', '') : style.of(row.expected);
      assert.equal(out, want);
      if (row.config !== undefined) assertStyle(style.name, out, row.name);
      fs.writeFileSync(cfg, out);
      fleet.fileChanged(cfg);
      assert.ok(!fleet.links.findings.some((x) => x.code === 'source-not-mapped'), 'the mapping resolves the source');
    });
  }
}

test('EditText: view offsets map back to the file around CRLF and the BOM', () => {
  const src = new EditText('\uFEFFa: 1\r\nb: 2\nc: 3\r\n');
  assert.equal(src.text, 'a: 1\nb: 2\nc: 3\n');
  assert.equal(src.eol, '\r\n');
  assert.deepEqual([0, 4, 5, 9, 10, 15].map((o) => src.toFile(o)), [1, 5, 7, 11, 12, 18]);
  assert.deepEqual([1, 5, 6, 7, 11, 12, 18].map((o) => src.fromFile(o)), [0, 4, 4, 5, 9, 10, 15]);
  assert.deepEqual(src.fileEdits([{ span: { start: 4, end: 4 }, newText: '\nx: 0' }]), [{ span: { start: 5, end: 5 }, newText: '\r\nx: 0' }]);
});
