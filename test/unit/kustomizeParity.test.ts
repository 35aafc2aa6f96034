// Parity of the project's kustomize engine with `kubectl kustomize` (kustomize v5.5.0): every folder of
// test/goldens/index.json (made by `npm run goldens`, see scripts/goldens.ts) is built by the engine and compared,
// object by object and field by field, with kubectl's output (order of objects aside). kubectl is not needed here.
//
// The engine's expected API (server/src/core/kustomize/build.ts):
//
//   buildKustomization(
//     dir: string,                                   // absolute folder holding the kustomization file
//     options: {
//       readFile(path: string): string | undefined;  // absolute path → UTF-8 text, undefined when absent
//       listDir?(path: string): string[];            // absolute folder → entry names ([] when absent)
//       readBytes?(path: string): Uint8Array | undefined; // raw bytes (configMapGenerator binaryData); optional
//     },
//   ) => { resources: Array<{ obj: object }>; issues: Array<{ code: string; message: string }> }
//
// - `ok` goldens: the engine's objects must equal kubectl's (compareBuilds), with no `kustomize-build-error` issue.
// - `error` goldens (kubectl refuses the folder; test/fixtures/kustomize-errors): the engine must report an issue
//   with code `kustomize-build-error` (or `unsupported-kustomize-feature` where the index marks the folder
//   `unsupported`, e.g. helmCharts).
// - `skipped` goldens (remote bases) are not built.
// While the engine module does not exist, every folder is skipped ('engine not present yet'); nothing is faked.
// The corpus variant does the same over .goldens-cache/corpora (`npm run goldens -- --corpora`) when present.
// The last test prints `parity: N/M folders match exactly`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildsEqual, compareBuilds, formatComparison, parseManifests } from '../helpers/parity';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';

const ROOT = path.resolve(__dirname, '../..');
const ENGINE_BASE = path.join(ROOT, 'server/src/core/kustomize/build');
const FIXTURE_INDEX = path.join(ROOT, 'test/goldens/index.json');
const CORPORA_INDEX = path.join(ROOT, '.goldens-cache/corpora/index.json');

interface GoldenEntry {
  dir: string;
  golden: string | null;
  status: 'ok' | 'error' | 'skipped';
  reason: string | null;
  objects: number | null;
  warnings?: string[];
  unsupported?: string;
}
interface GoldenIndex {
  kubectl: string;
  kustomize: string;
  entries: GoldenEntry[];
}

interface EngineIssue {
  code: string;
  message: string;
  severity?: string;
}
type BuildKustomization = (
  dir: string,
  options: {
    readFile(p: string): string | undefined;
    listDir?(p: string): string[];
    readBytes?(p: string): Uint8Array | undefined;
  },
) => { resources: Array<{ obj: object }>; issues: EngineIssue[] };

// ---- the engine, if present ------------------------------------------------------------------------------------

const engineFile = ['.ts', '/index.ts'].map((ext) => ENGINE_BASE + ext).find((f) => fs.existsSync(f));
let engine: BuildKustomization | undefined;
let engineLoadError: unknown;
const engineReady: Promise<void> = (async () => {
  if (!engineFile) return;
  try {
    // A variable specifier: the module may not exist yet, and typecheck must not depend on it.
    const mod = (await import(pathToFileURL(engineFile).href)) as Record<string, any>;
    const fn = mod.buildKustomization ?? mod.default?.buildKustomization;
    if (typeof fn !== 'function') throw new Error(`${path.relative(ROOT, engineFile)} exports no buildKustomization function`);
    engine = fn as BuildKustomization;
  } catch (err) {
    engineLoadError = err;
  }
})();

const projectFs = new NodeFileSystem();
const nodeFs = {
  // The project's own reading (UTF-16 with a BOM decoded, a UTF-8 BOM dropped: core/textDecode.ts).
  readFile: (p: string): string | undefined => projectFs.readFile(p),
  readBytes(p: string): Uint8Array | undefined {
    try {
      return new Uint8Array(fs.readFileSync(p));
    } catch {
      return undefined;
    }
  },
  listDir(p: string): string[] {
    try {
      return fs.readdirSync(p).sort();
    } catch {
      return [];
    }
  },
};

// ---- the comparison per folder ---------------------------------------------------------------------------------

interface Tally {
  compared: number;
  exact: number;
}

function readIndex(file: string): GoldenIndex | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as GoldenIndex) : undefined;
}

/** Builds one golden folder with the engine and asserts parity; counts it in `tally`. */
function checkFolder(entry: GoldenEntry, tally: Tally): void {
  const build = engine!;
  const dir = path.resolve(ROOT, entry.dir);
  tally.compared++;
  const result = build(dir, nodeFs);
  const buildErrors = result.issues.filter((i) => i.code === 'kustomize-build-error');
  if (entry.status === 'error') {
    const accepted = entry.unsupported ? ['kustomize-build-error', 'unsupported-kustomize-feature'] : ['kustomize-build-error'];
    const reported = result.issues.filter((i) => accepted.includes(i.code));
    assert.ok(
      reported.length > 0,
      `kubectl fails on ${entry.dir} (${entry.reason}); the engine reported no ${accepted.join(' / ')} issue ` +
        `(issues: ${JSON.stringify(result.issues.map((i) => `${i.code}: ${i.message}`))})`,
    );
    tally.exact++;
    return;
  }
  const expected = parseManifests(fs.readFileSync(path.resolve(ROOT, entry.golden!), 'utf8'));
  const comparison = compareBuilds(
    result.resources.map((r) => r.obj),
    expected,
  );
  const problems = [
    ...buildErrors.map((i) => `engine error: ${i.message}`),
    ...(buildsEqual(comparison) ? [] : [formatComparison(comparison)]),
  ];
  assert.ok(problems.length === 0, `${entry.dir} differs from kubectl kustomize (${entry.golden}):\n${problems.join('\n')}`);
  tally.exact++;
}

function parityTests(label: string, index: GoldenIndex, tally: Tally, available: () => string | undefined): void {
  for (const entry of index.entries) {
    if (entry.status === 'skipped') continue;
    test(`${label}: ${entry.dir} (${entry.status === 'ok' ? `${entry.objects} objects` : 'kubectl fails'})`, async (t) => {
      const missing = available();
      if (missing) return t.skip(missing);
      await engineReady;
      if (!engineFile) return t.skip('engine not present yet');
      if (!engine) return t.skip('engine failed to load (see "kustomize engine loads")');
      checkFolder(entry, tally);
    });
  }
}

// ---- tests -----------------------------------------------------------------------------------------------------

test('kustomize engine loads', async (t) => {
  await engineReady;
  if (!engineFile) return t.skip(`engine not present yet (${path.relative(ROOT, ENGINE_BASE)}.ts)`);
  if (engineLoadError) throw engineLoadError;
  assert.equal(typeof engine, 'function');
});

const fixtureIndex = readIndex(FIXTURE_INDEX);
const fixtureTally: Tally = { compared: 0, exact: 0 };

test('goldens: test/goldens/index.json covers every kustomization folder of test/fixtures and examples', () => {
  assert.ok(fixtureIndex, 'test/goldens/index.json is missing: run `npm run goldens` (needs kubectl with kustomize v5.5.0)');
  const found: string[] = [];
  const walk = (dir: string) => {
    const names = fs.readdirSync(dir, { withFileTypes: true });
    if (names.some((d) => d.isFile() && ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(d.name))) {
      found.push(path.relative(ROOT, dir).split(path.sep).join('/'));
    }
    for (const d of names) if (d.isDirectory() && d.name !== 'node_modules' && d.name !== '.git') walk(path.join(dir, d.name));
  };
  for (const top of ['test/fixtures', 'examples']) walk(path.join(ROOT, top));
  const indexed = fixtureIndex.entries.map((e) => e.dir);
  assert.deepEqual([...found].sort(), [...indexed].sort(), 'fixtures changed since the goldens were made: run `npm run goldens`');
  for (const e of fixtureIndex.entries) {
    if (e.golden) assert.ok(fs.existsSync(path.join(ROOT, e.golden)), `${e.golden} is missing: run \`npm run goldens\``);
  }
});

if (fixtureIndex) parityTests('parity', fixtureIndex, fixtureTally, () => undefined);

const corporaIndex = readIndex(CORPORA_INDEX);
const corporaTally: Tally = { compared: 0, exact: 0 };
if (corporaIndex) {
  parityTests('parity (corpora)', corporaIndex, corporaTally, () =>
    fs.existsSync(path.resolve(ROOT, '../shared/corpora')) ? undefined : '../shared/corpora is absent',
  );
} else {
  test('parity (corpora)', (t) => {
    t.skip('.goldens-cache/corpora is absent: run `npm run goldens -- --corpora` (needs kubectl and ../shared/corpora)');
  });
}

// ---- the helpers themselves ------------------------------------------------------------------------------------

test('compareBuilds: identity by group/kind/namespace/name, map key order ignored, list order significant', () => {
  const expected = parseManifests(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod, labels: {a: "1", b: "2"}}
spec:
  template:
    spec:
      containers: [{name: web, image: nginx:1.27}, {name: side, image: busybox}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: gone}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod}
`);
  const actual = parseManifests(`
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: apps/v2
kind: Deployment
metadata: {namespace: prod, name: web, labels: {b: "2", a: 1}}
spec:
  template:
    spec:
      containers: [{name: side, image: busybox}, {image: nginx:1.25, name: web}]
---
apiVersion: example.com/v1
kind: ConfigMap
metadata: {name: gone}
`);
  const c = compareBuilds(actual, expected);
  assert.equal(c.matched, 2);
  assert.deepEqual(c.missing, ['ConfigMap gone']);
  assert.deepEqual(c.extra, ['ConfigMap.example.com gone']);
  assert.deepEqual(
    c.diffs.map((d) => `${d.id} ${d.path} ${JSON.stringify(d.expected)} ${JSON.stringify(d.actual)}`),
    [
      'Deployment.apps prod/web /apiVersion "apps/v1" "apps/v2"',
      'Deployment.apps prod/web /metadata/labels/a "1" 1',
      'Deployment.apps prod/web /spec/template/spec/containers/0/image "nginx:1.27" "busybox"',
      'Deployment.apps prod/web /spec/template/spec/containers/0/name "web" "side"',
      'Deployment.apps prod/web /spec/template/spec/containers/1/image "busybox" "nginx:1.25"',
      'Deployment.apps prod/web /spec/template/spec/containers/1/name "side" "web"',
    ],
  );
  assert.ok(!buildsEqual(c));
  assert.ok(buildsEqual(compareBuilds(structuredClone(expected).reverse(), expected)));
});

test('compareBuilds: absent vs null, escaped keys, list length', () => {
  const [e] = parseManifests('kind: A\nmetadata: {name: x, annotations: {"example.com/owner": a}}\nspec: {list: [1, 2], gone: null}\n');
  const [a] = parseManifests('kind: A\nmetadata: {name: x, annotations: {"example.com/owner": b}}\nspec: {list: [1, 2, 3]}\n');
  const c = compareBuilds([a], [e]);
  assert.deepEqual(
    c.diffs.map((d) => [d.path, d.expected, d.actual]),
    [
      ['/metadata/annotations/example.com~1owner', 'a', 'b'],
      ['/spec/gone', null, undefined],
      ['/spec/list/2', undefined, 3],
    ],
  );
});

test('parity summary', (t) => {
  const line = (label: string, tally: Tally, entries: GoldenEntry[] | undefined) => {
    const m = (entries ?? []).filter((e) => e.status !== 'skipped').length;
    const note = !entries
      ? ' (no goldens)'
      : !engineFile
        ? ' (engine not present yet)'
        : !engine
          ? ' (engine failed to load)'
          : tally.compared < m
            ? ` (${m - tally.compared} not run)`
            : '';
    return `${label}: ${tally.exact}/${m} folders match exactly${note}`;
  };
  const lines = [line('parity', fixtureTally, fixtureIndex?.entries)];
  if (corporaIndex) lines.push(line('parity (corpora)', corporaTally, corporaIndex.entries));
  for (const l of lines) t.diagnostic(l);
});
