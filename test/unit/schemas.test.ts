// Checks the generated JSON Schemas in schemas/ (made by scripts/gen-schemas.mjs).
// The first tests only need the committed schemas/; the last one re-runs the generator when the
// upstream data (../shared/upstream-schemas from the project root) is available.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { tempDir } from '../helpers/tempDir';

const projectRoot = path.resolve(__dirname, '../..');
const schemasDir = path.join(projectRoot, 'schemas');
const generatorScript = path.join(projectRoot, 'scripts', 'gen-schemas.mjs');
const upstreamDir = path.resolve(projectRoot, '../shared/upstream-schemas');

interface IndexEntry {
  apiVersion: string;
  kind: string;
  file: string;
  deprecated: boolean;
  source: { repository: string; path: string; commit: string; sha256: string };
}

type Schema = Record<string, any>;

interface GeneratorModule {
  convertSchema(node: unknown, dropped?: Map<string, number>): Schema;
  buildVersionSchema(input: {
    group: string;
    kind: string;
    version: Record<string, unknown>;
    openAPIV3Schema: unknown;
    comment: string;
  }): Schema;
  isDeprecatedVersion(version: Record<string, unknown>): boolean;
  addOperatorKinds(schema: Schema, group: string, kind: string): boolean;
}

function readIndex(): IndexEntry[] {
  const index: unknown = JSON.parse(fs.readFileSync(path.join(schemasDir, 'index.json'), 'utf8'));
  assert.ok(Array.isArray(index), 'index.json is an array');
  return index as IndexEntry[];
}

function readSchema(file: string): Schema {
  return JSON.parse(fs.readFileSync(path.join(schemasDir, ...file.split('/')), 'utf8')) as Schema;
}

function find(index: IndexEntry[], apiVersionOrGroup: string, kind: string): IndexEntry | undefined {
  return index.find(
    (e) => e.kind === kind && (e.apiVersion === apiVersionOrGroup || e.apiVersion.startsWith(apiVersionOrGroup + '/')),
  );
}

function loadGenerator(): Promise<GeneratorModule> {
  // A computed specifier keeps TypeScript from looking for declarations of the .mjs script.
  return import(pathToFileURL(generatorScript).href) as Promise<GeneratorModule>;
}

/** All files under dir, as sorted POSIX paths relative to dir. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

function collectKeys(node: unknown, keys: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => collectKeys(n, keys));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      keys.add(k);
      collectKeys(v, keys);
    }
  }
}

const REQUIRED_SCHEMAS: Array<[string, string]> = [
  ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization'],
  ['helm.toolkit.fluxcd.io/v2', 'HelmRelease'],
  ['source.toolkit.fluxcd.io/v1', 'GitRepository'],
  ['source.toolkit.fluxcd.io', 'OCIRepository'],
  ['source.toolkit.fluxcd.io', 'HelmRepository'],
  ['source.toolkit.fluxcd.io', 'Bucket'],
  ['source.toolkit.fluxcd.io', 'ExternalArtifact'],
  ['notification.toolkit.fluxcd.io', 'Alert'],
  ['notification.toolkit.fluxcd.io', 'Provider'],
  ['notification.toolkit.fluxcd.io', 'Receiver'],
  ['image.toolkit.fluxcd.io', 'ImageRepository'],
  ['image.toolkit.fluxcd.io', 'ImagePolicy'],
  ['image.toolkit.fluxcd.io', 'ImageUpdateAutomation'],
  ['application.giantswarm.io', 'App'],
  ['application.giantswarm.io', 'Catalog'],
  ['kustomize.config.k8s.io/v1beta1', 'Kustomization'],
  ['kustomize.config.k8s.io/v1alpha1', 'Component'],
];

test('index.json lists the expected schemas with source information', () => {
  const index = readIndex();
  for (const [apiVersion, kind] of REQUIRED_SCHEMAS) {
    assert.ok(find(index, apiVersion, kind), `index.json has ${kind} ${apiVersion}`);
  }
  const keys = new Set<string>();
  for (const e of index) {
    assert.match(e.apiVersion, /^[a-z0-9.-]+\/v[0-9]+((alpha|beta)[0-9]+)?$/, `apiVersion of ${e.file}`);
    assert.match(e.kind, /^[A-Z][A-Za-z0-9]*$/);
    assert.equal(typeof e.deprecated, 'boolean');
    assert.match(e.source.repository, /^[\w.-]+\/[\w.-]+$/);
    assert.ok(e.source.path.length > 0);
    assert.match(e.source.commit, /^[0-9a-f]{40}$/);
    assert.match(e.source.sha256, /^[0-9a-f]{64}$/);
    const key = `${e.apiVersion} ${e.kind}`;
    assert.ok(!keys.has(key), `${key} is listed once`);
    keys.add(key);
  }
  // Both kustomize.config.k8s.io kinds share SchemaStore's schema.
  assert.equal(find(index, 'kustomize.config.k8s.io/v1beta1', 'Kustomization')?.file, 'kustomize/kustomization.json');
  assert.equal(find(index, 'kustomize.config.k8s.io/v1alpha1', 'Component')?.file, 'kustomize/kustomization.json');
  assert.ok(fs.existsSync(path.join(schemasDir, 'SOURCES.md')), 'schemas/SOURCES.md exists');
  assert.match(fs.readFileSync(path.join(schemasDir, 'SOURCES.md'), 'utf8'), /Mads Kristensen and Contributors/);
});

test('every listed schema file exists, parses and matches its index entry', () => {
  for (const e of readIndex()) {
    const file = path.join(schemasDir, ...e.file.split('/'));
    assert.ok(fs.existsSync(file), `${e.file} exists`);
    const schema = readSchema(e.file);
    assert.equal(typeof schema, 'object');
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#', `${e.file} is draft-07`);
    if (e.file === 'kustomize/kustomization.json') continue; // SchemaStore's, unmodified
    const version = e.apiVersion.split('/')[1];
    assert.equal(e.file, `${e.apiVersion.split('/')[0]}/${e.kind.toLowerCase()}-${version}.json`);
    assert.equal(schema.$id, `https://flux-fleet.dev/schemas/${e.file}`);
    assert.equal(schema.title, `${e.kind} ${e.apiVersion}`);
    assert.equal(schema.type, 'object');
    assert.equal(schema.properties.apiVersion.const, e.apiVersion);
    assert.equal(schema.properties.kind.const, e.kind);
    assert.deepEqual(schema.required.slice(0, 2), ['apiVersion', 'kind']);
    assert.equal(schema.properties.metadata.type, 'object');
    assert.equal(schema.properties.metadata.properties.name.type, 'string');
    assert.equal(schema.properties.metadata.properties.labels.additionalProperties.type, 'string');
    assert.equal(schema.deprecated === true, e.deprecated, `deprecated flag of ${e.file} matches index.json`);
    if (schema['x-flux-fleet-deprecation-warning'] !== undefined) {
      assert.equal(typeof schema['x-flux-fleet-deprecation-warning'], 'string');
    }
    const keys = new Set<string>();
    collectKeys(schema, keys);
    // Property *names* are collected too, but no Flux/Giant Swarm field is called like these.
    for (const k of keys) assert.ok(!k.startsWith('x-kubernetes-'), `${e.file} has no ${k}`);
    assert.ok(!keys.has('nullable'), `${e.file} has no OpenAPI nullable`);
  }
});

test('Kustomization v1 schema describes spec.path and requires interval, prune and sourceRef', () => {
  const entry = find(readIndex(), 'kustomize.toolkit.fluxcd.io/v1', 'Kustomization');
  assert.ok(entry);
  const schema = readSchema(entry.file);
  const spec = schema.properties.spec;
  assert.equal(spec.properties.path.type, 'string');
  assert.equal(typeof spec.properties.path.description, 'string');
  assert.ok(spec.properties.path.description.length > 0);
  for (const field of ['interval', 'prune', 'sourceRef']) {
    assert.ok(spec.required.includes(field), `spec.required contains ${field}`);
  }
  assert.equal(entry.deprecated, false);
});

test('HelmRelease v2 spec.values accepts any object (x-kubernetes-preserve-unknown-fields)', () => {
  const entry = find(readIndex(), 'helm.toolkit.fluxcd.io/v2', 'HelmRelease');
  assert.ok(entry);
  const values = readSchema(entry.file).properties.spec.properties.values;
  assert.equal(values.type, 'object');
  assert.equal(values.additionalProperties, true);
});

test("Alert event sources and Receiver resources accept the Flux Operator's kinds (its notification profile adds them)", async () => {
  const index = readIndex();
  const alert = readSchema(find(index, 'notification.toolkit.fluxcd.io', 'Alert')!.file);
  const receiver = readSchema(find(index, 'notification.toolkit.fluxcd.io', 'Receiver')!.file);
  for (const kinds of [alert.properties.spec.properties.eventSources.items.properties.kind.enum, receiver.properties.spec.properties.resources.items.properties.kind.enum]) {
    for (const k of ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider', 'Kustomization']) assert.ok(kinds.includes(k), k);
  }
  const gen = await loadGenerator();
  const schema = { properties: { spec: { properties: { eventSources: { items: { properties: { kind: { enum: ['Kustomization'] } } } } } } } };
  assert.equal(gen.addOperatorKinds(schema, 'notification.toolkit.fluxcd.io', 'Alert'), true);
  assert.deepEqual(schema.properties.spec.properties.eventSources.items.properties.kind.enum, ['Kustomization', 'FluxInstance', 'ResourceSet', 'ResourceSetInputProvider']);
  assert.equal(gen.addOperatorKinds(schema, 'notification.toolkit.fluxcd.io', 'Provider'), false, 'other kinds are left as converted');
});

test('deprecated API versions are flagged', () => {
  const index = readIndex();
  // Versions upstream deprecated before removing them. The current CRDs no longer contain them, but
  // if a CRD (re)gains one of them, it must be flagged.
  const oldVersions = [
    'kustomize.toolkit.fluxcd.io/v1beta1',
    'kustomize.toolkit.fluxcd.io/v1beta2',
    'source.toolkit.fluxcd.io/v1beta1',
    'source.toolkit.fluxcd.io/v1beta2',
    'helm.toolkit.fluxcd.io/v2beta1',
    'helm.toolkit.fluxcd.io/v2beta2',
    'notification.toolkit.fluxcd.io/v1beta1',
    'notification.toolkit.fluxcd.io/v1beta2',
    'image.toolkit.fluxcd.io/v1beta1',
    'image.toolkit.fluxcd.io/v1beta2',
  ];
  for (const e of index) {
    if (oldVersions.includes(e.apiVersion)) assert.equal(e.deprecated, true, `${e.kind} ${e.apiVersion} is deprecated`);
  }
  for (const [apiVersion, kind] of [
    ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization'],
    ['helm.toolkit.fluxcd.io/v2', 'HelmRelease'],
    ['source.toolkit.fluxcd.io/v1', 'GitRepository'],
  ]) {
    assert.equal(find(index, apiVersion, kind)?.deprecated, false, `${kind} ${apiVersion} is current`);
  }
});

test('generator: deprecation rules and the deprecation warning', async () => {
  const gen = await loadGenerator();
  assert.equal(gen.isDeprecatedVersion({ name: 'v1', served: true, storage: true }), false);
  assert.equal(gen.isDeprecatedVersion({ name: 'v1beta2', served: true, storage: false, deprecated: true }), true);
  assert.equal(gen.isDeprecatedVersion({ name: 'v1beta1', served: false, storage: false }), true);
  assert.equal(gen.isDeprecatedVersion({ name: 'v1beta2', served: true, storage: false }), false);

  const schema = gen.buildVersionSchema({
    group: 'kustomize.toolkit.fluxcd.io',
    kind: 'Kustomization',
    version: {
      name: 'v1beta2',
      served: true,
      storage: false,
      deprecated: true,
      deprecationWarning: 'v1beta2 Kustomization is deprecated, upgrade to v1',
    },
    openAPIV3Schema: {
      description: 'Kustomization is the Schema for the kustomizations API.',
      type: 'object',
      properties: {
        apiVersion: { description: 'APIVersion', type: 'string' },
        kind: { description: 'Kind', type: 'string' },
        metadata: { type: 'object' },
        spec: { type: 'object', properties: { path: { type: 'string' } } },
      },
    },
    comment: 'test',
  });
  assert.equal(schema.deprecated, true);
  assert.equal(schema['x-flux-fleet-deprecation-warning'], 'v1beta2 Kustomization is deprecated, upgrade to v1');
  assert.equal(schema.$id, 'https://flux-fleet.dev/schemas/kustomize.toolkit.fluxcd.io/kustomization-v1beta2.json');
  assert.equal(schema.title, 'Kustomization kustomize.toolkit.fluxcd.io/v1beta2');
  assert.deepEqual(schema.properties.apiVersion, {
    description: 'APIVersion',
    type: 'string',
    const: 'kustomize.toolkit.fluxcd.io/v1beta2',
  });
  assert.equal(schema.properties.kind.const, 'Kustomization');
  assert.deepEqual(Object.keys(schema.properties.metadata.properties), ['name', 'namespace', 'labels', 'annotations']);
});

test('generator: OpenAPI v3 / Kubernetes extensions are translated to draft-07', async () => {
  const gen = await loadGenerator();
  const dropped = new Map<string, number>();
  const out = gen.convertSchema(
    {
      type: 'object',
      required: ['port'],
      properties: {
        port: { 'x-kubernetes-int-or-string': true, description: 'port' },
        replicas: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
          pattern: '^\\d+%?$',
        },
        values: { description: 'free-form', 'x-kubernetes-preserve-unknown-fields': true },
        known: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { a: { type: 'string' } },
        },
        optional: { type: 'string', nullable: true, enum: ['a', 'b'] },
        list: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { name: { type: 'string' } } },
          minItems: 1,
        },
        count: { type: 'integer', format: 'int64', minimum: 0, exclusiveMinimum: true, default: 5 },
      },
      'x-kubernetes-validations': [{ rule: 'self.port > 0', message: 'positive' }],
    },
    dropped,
  );
  assert.deepEqual(out.properties.port, {
    description: 'port',
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  });
  assert.deepEqual(out.properties.replicas, {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: '^\\d+%?$',
  });
  assert.deepEqual(out.properties.values, { description: 'free-form', type: 'object', additionalProperties: true });
  assert.deepEqual(out.properties.known, { type: 'object', properties: { a: { type: 'string' } } });
  assert.deepEqual(out.properties.optional, { type: ['string', 'null'], enum: ['a', 'b', null] });
  assert.deepEqual(out.properties.list, {
    type: 'array',
    items: { type: 'object', properties: { name: { type: 'string' } } },
    minItems: 1,
  });
  assert.deepEqual(out.properties.count, { type: 'integer', format: 'int64', default: 5, exclusiveMinimum: 0 });
  assert.deepEqual(out.required, ['port']);
  assert.equal(out['x-kubernetes-validations'], undefined);
  assert.deepEqual(Object.fromEntries([...dropped].sort()), {
    'x-kubernetes-list-map-keys': 1,
    'x-kubernetes-list-type': 1,
    'x-kubernetes-map-type': 1,
    'x-kubernetes-validations': 1,
  });
});

test('generator output is byte-identical to the committed schemas/ (needs ../shared/upstream-schemas)', async (t) => {
  if (!fs.existsSync(path.join(upstreamDir, 'SOURCES.md'))) {
    t.diagnostic(`upstream data not found at ${upstreamDir}; skipping the regeneration check`);
    t.skip('../shared/upstream-schemas is absent; cannot regenerate schemas/');
    return;
  }
  const outDir = tempDir('flux-fleet-schemas-');
  try {
    const run = spawnSync(process.execPath, [generatorScript], {
      cwd: projectRoot,
      env: { ...process.env, FLUX_FLEET_UPSTREAM_SCHEMAS: upstreamDir, FLUX_FLEET_SCHEMAS_OUT: outDir },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, `generator failed:\n${run.stdout}\n${run.stderr}`);

    const generated = listFiles(outDir);
    assert.ok(generated.includes('index.json') && generated.includes('SOURCES.md'));
    for (const rel of generated) {
      const committed = path.join(schemasDir, ...rel.split('/'));
      assert.ok(fs.existsSync(committed), `schemas/${rel} is committed (run npm run schemas)`);
      assert.ok(
        fs.readFileSync(committed).equals(fs.readFileSync(path.join(outDir, ...rel.split('/')))),
        `schemas/${rel} is up to date (run npm run schemas)`,
      );
    }
    // No stale schemas: every committed .json is still generated (but our own file's schema, written by hand).
    const handWritten = new Set(['flux-fleet.schema.json']);
    for (const rel of listFiles(schemasDir).filter((f) => f.endsWith('.json') && !handWritten.has(f))) {
      assert.ok(generated.includes(rel), `schemas/${rel} is no longer generated (stale)`);
    }

    // The deprecated flags follow the CRDs: deprecated: true, or neither served nor storage.
    const index = readIndex();
    for (const rel of listFiles(upstreamDir).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(upstreamDir, rel), 'utf8'))) {
        const crd = doc.toJS() as any;
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec.versions) {
          const entry = index.find((e) => e.apiVersion === `${crd.spec.group}/${v.name}` && e.kind === crd.spec.names.kind);
          assert.ok(entry, `index.json has ${crd.spec.names.kind} ${crd.spec.group}/${v.name}`);
          const expected = v.deprecated === true || (v.storage !== true && v.served !== true);
          assert.equal(entry.deprecated, expected, `deprecated flag of ${entry.file}`);
          const warning = readSchema(entry.file)['x-flux-fleet-deprecation-warning'];
          assert.equal(warning, v.deprecationWarning || undefined, `deprecation warning of ${entry.file}`);
        }
      }
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});
