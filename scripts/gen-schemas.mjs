// Generates the JSON Schemas in schemas/ from the upstream CRDs and SchemaStore's kustomization.json.
//
//   node scripts/gen-schemas.mjs            (or: npm run schemas)
//
// Input:  ../shared/upstream-schemas relative to the project root (override: FLUX_FLEET_UPSTREAM_SCHEMAS).
//         Its SOURCES.md "Repositories" and "Files" tables are the list of inputs and their provenance.
// Output: schemas/ (override: FLUX_FLEET_SCHEMAS_OUT)
//   <group>/<kind>-<version>.json   draft-07 schema per CRD version (from spec.versions[].schema.openAPIV3Schema)
//   kustomize/kustomization.json    SchemaStore's kustomization.json, copied byte-for-byte
//   index.json                      catalogue: apiVersion, kind, file (relative to index.json), deprecated, source
//   SOURCES.md                      human-readable provenance and license attribution
//
// The output is deterministic: no timestamps, no absolute paths, keys in a fixed order, entries sorted.
// Only `node:` builtins and the `yaml` package are used.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(scriptDir, '..');

export const SCHEMA_BASE_URL = 'https://flux-fleet.dev/schemas/';
const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** SchemaStore's kustomization.json serves these apiVersion/kind pairs. */
const KUSTOMIZE_CONFIG_KINDS = [
  { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' },
  { apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' },
];
const KUSTOMIZATION_OUT_FILE = 'kustomize/kustomization.json';

/** Fallback if SOURCES.md's license notes cannot be parsed; SchemaStore's NOTICE file text. */
const SCHEMASTORE_NOTICE_FALLBACK = 'JSON Schema Store / Copyright 2015-Current Mads Kristensen and Contributors';

/**
 * Kinds the Flux Operator adds to notification-controller's CRDs when it installs Flux: its notification profile
 * appends FluxInstance, ResourceSet and ResourceSetInputProvider to the `kind` enums of Alert
 * `spec.eventSources[]` and Receiver `spec.resources[]`, in every version (controlplaneio-fluxcd/flux-operator,
 * internal/builder/profiles.go, GetProfileNotification). Fleets installed by the operator use them; a fleet
 * bootstrapped by the Flux CLI would have them rejected, which a schema cannot know, so they are accepted.
 * Only the kind names are taken (facts about the operator's behaviour), no text of that project.
 */
export const OPERATOR_KIND_ADDITIONS = [
  { group: 'notification.toolkit.fluxcd.io', kind: 'Alert', path: ['spec', 'eventSources'] },
  { group: 'notification.toolkit.fluxcd.io', kind: 'Receiver', path: ['spec', 'resources'] },
];
export const OPERATOR_KINDS = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'];

/** Adds the operator's kinds to a converted schema's list-item `kind` enum; returns true when it applied. */
export function addOperatorKinds(schema, group, kind) {
  const addition = OPERATOR_KIND_ADDITIONS.find((a) => a.group === group && a.kind === kind);
  if (!addition) return false;
  let node = schema;
  for (const name of addition.path) node = node?.properties?.[name];
  const enumNode = node?.items?.properties?.kind;
  if (!Array.isArray(enumNode?.enum)) return false;
  for (const k of OPERATOR_KINDS) if (!enumNode.enum.includes(k)) enumNode.enum.push(k);
  return true;
}

class GenError extends Error {}

// ---------------------------------------------------------------------------------------------
// OpenAPI v3 (structural CRD schema) → JSON Schema draft-07
// ---------------------------------------------------------------------------------------------

/** Keywords copied unchanged (after recursing where they hold schemas). Order of output keys = order in input. */
const KEPT_KEYWORDS = new Set([
  'description',
  'type',
  'properties',
  'required',
  'enum',
  'items',
  'additionalProperties',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'default',
  'oneOf',
  'anyOf',
  'allOf',
  // Same meaning in OpenAPI v3.0 and draft-07 (allowed in structural schemas; unused by the current CRDs):
  'not',
  'multipleOf',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'title',
]);

const INT_OR_STRING = [{ type: 'integer' }, { type: 'string' }];

/**
 * Converts one OpenAPI v3 schema node of a CRD into draft-07.
 * `dropped` (optional Map keyword → count) collects keywords that were removed, for the summary.
 */
export function convertSchema(node, dropped = new Map()) {
  if (typeof node === 'boolean') return node;
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw new GenError(`unexpected schema node: ${JSON.stringify(node)}`);
  }
  const drop = (k) => dropped.set(k, (dropped.get(k) ?? 0) + 1);
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT_KEYWORDS.has(key)) {
      // Translated below, or dropped (x-kubernetes-validations (CEL), list-type, map-type, list-map-keys, …).
      if (!['x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'nullable',
        'exclusiveMinimum', 'exclusiveMaximum'].includes(key)) drop(key);
      continue;
    }
    switch (key) {
      case 'properties': {
        // fromEntries defines own properties, so a field named `__proto__` stays a field.
        out.properties = Object.fromEntries(
          Object.entries(value).map(([name, sub]) => [name, convertSchema(sub, dropped)]),
        );
        break;
      }
      case 'items':
        out.items = Array.isArray(value) ? value.map((s) => convertSchema(s, dropped)) : convertSchema(value, dropped);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : convertSchema(value, dropped);
        break;
      case 'not':
        out.not = convertSchema(value, dropped);
        break;
      case 'oneOf':
      case 'anyOf':
      case 'allOf':
        out[key] = value.map((s) => convertSchema(s, dropped));
        break;
      default:
        out[key] = structuredClone(value);
    }
  }

  // OpenAPI 3.0 boolean exclusiveMinimum/exclusiveMaximum → draft-07 numeric form.
  for (const [excl, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (!(excl in node)) continue;
    if (node[excl] === true && typeof node[bound] === 'number') {
      out[excl] = node[bound];
      delete out[bound];
    } else if (typeof node[excl] === 'number') {
      out[excl] = node[excl];
    } else if (node[excl] !== false) {
      drop(excl);
    }
  }

  // x-kubernetes-int-or-string: integer or string. controller-gen usually also emits the same anyOf; keep one.
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!Array.isArray(out.anyOf)) {
      out.anyOf = structuredClone(INT_OR_STRING);
    } else if (!isIntOrStringAnyOf(out.anyOf)) {
      out.allOf = [...(out.allOf ?? []), { anyOf: structuredClone(INT_OR_STRING) }];
    }
  } else if ('x-kubernetes-int-or-string' in node) {
    drop('x-kubernetes-int-or-string');
  }

  // x-kubernetes-preserve-unknown-fields without properties: any object (e.g. HelmRelease spec.values).
  if (node['x-kubernetes-preserve-unknown-fields'] === true) {
    if (!node.properties && node.additionalProperties === undefined) {
      if (out.type === undefined) out.type = 'object';
      out.additionalProperties = true;
    }
  } else if ('x-kubernetes-preserve-unknown-fields' in node) {
    drop('x-kubernetes-preserve-unknown-fields');
  }

  // OpenAPI 3.0 `nullable: true` (used by the Giant Swarm CRDs) → also accept null.
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (Array.isArray(out.anyOf) && out.type === undefined) out.anyOf = [...out.anyOf, { type: 'null' }];
  }
  return out;
}

function isIntOrStringAnyOf(anyOf) {
  const types = anyOf.map((s) => (s && typeof s === 'object' ? s.type : undefined)).sort();
  return anyOf.length === 2 && types[0] === 'integer' && types[1] === 'string';
}

/** A loose ObjectMeta: known fields typed, anything else allowed. */
function metadataSchema() {
  return {
    description: 'Standard Kubernetes object metadata.',
    type: 'object',
    properties: {
      name: { description: 'Name of the object, unique within its namespace.', type: 'string' },
      namespace: { description: 'Namespace of the object.', type: 'string' },
      labels: {
        description: 'Map of string keys and values to organize and select objects.',
        type: 'object',
        additionalProperties: { type: 'string' },
      },
      annotations: {
        description: 'Map of string keys and values holding arbitrary non-identifying metadata.',
        type: 'object',
        additionalProperties: { type: 'string' },
      },
    },
    additionalProperties: true,
  };
}

export function isDeprecatedVersion(version) {
  return version.deprecated === true || (version.storage !== true && version.served !== true);
}

/** Builds the draft-07 document for one CRD version. */
export function buildVersionSchema({ group, kind, version, openAPIV3Schema, comment }, dropped = new Map()) {
  const apiVersion = `${group}/${version.name}`;
  const converted = convertSchema(openAPIV3Schema, dropped);
  const deprecated = isDeprecatedVersion(version);

  const doc = {
    $schema: DRAFT_07,
    $id: `${SCHEMA_BASE_URL}${versionSchemaFile(group, kind, version.name)}`,
    $comment: comment,
    title: `${kind} ${apiVersion}`,
  };
  if (converted.description !== undefined) doc.description = converted.description;
  if (deprecated) doc.deprecated = true;
  if (typeof version.deprecationWarning === 'string' && version.deprecationWarning !== '') {
    doc['x-flux-fleet-deprecation-warning'] = version.deprecationWarning;
  }
  doc.type = 'object';
  const required = ['apiVersion', 'kind'];
  for (const r of converted.required ?? []) if (!required.includes(r)) required.push(r);
  doc.required = required;

  const props = { ...(converted.properties ?? {}) };
  props.apiVersion = { ...withoutType(props.apiVersion), type: 'string', const: apiVersion };
  props.kind = { ...withoutType(props.kind), type: 'string', const: kind };
  props.metadata = metadataSchema();
  // apiVersion, kind, metadata first; the rest in CRD order.
  const ordered = { apiVersion: props.apiVersion, kind: props.kind, metadata: props.metadata };
  for (const [k, v] of Object.entries(props)) if (!(k in ordered)) ordered[k] = v;
  doc.properties = ordered;

  for (const [k, v] of Object.entries(converted)) {
    if (!['description', 'type', 'required', 'properties'].includes(k)) doc[k] = v;
  }
  return doc;
}

function withoutType(schema) {
  if (!schema) return {};
  const { type: _type, ...rest } = schema;
  return rest;
}

export function versionSchemaFile(group, kind, versionName) {
  return `${group}/${kind.toLowerCase()}-${versionName}.json`;
}

// ---------------------------------------------------------------------------------------------
// SOURCES.md parsing
// ---------------------------------------------------------------------------------------------

/** Parses the Markdown table that follows `## <heading>`; returns rows as objects keyed by header text. */
export function parseMarkdownTable(markdown, heading) {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) throw new GenError(`SOURCES.md: section "## ${heading}" not found`);
  let i = start + 1;
  while (i < lines.length && !lines[i].trim().startsWith('|')) {
    if (lines[i].startsWith('#')) throw new GenError(`SOURCES.md: no table in section "## ${heading}"`);
    i++;
  }
  const rows = [];
  let header;
  for (; i < lines.length && lines[i].trim().startsWith('|'); i++) {
    const cells = splitRow(lines[i]);
    if (!header) header = cells;
    else if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    else rows.push(Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])));
  }
  if (!header) throw new GenError(`SOURCES.md: no table in section "## ${heading}"`);
  return rows;
}

function splitRow(line) {
  const t = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return t.split('|').map((c) => c.trim());
}

const unquote = (cell) => cell.replace(/^`(.*)`$/, '$1').trim();

function column(row, prefix) {
  const key = Object.keys(row).find((k) => k.toLowerCase().startsWith(prefix.toLowerCase()));
  if (key === undefined) throw new GenError(`SOURCES.md: column starting with "${prefix}" not found`);
  return row[key];
}

/** Reads SOURCES.md: repositories (full commit, license) and files (upstream path, sha256). */
export function readSourcesMd(markdown) {
  const repos = new Map();
  for (const row of parseMarkdownTable(markdown, 'Repositories')) {
    const repository = unquote(column(row, 'Repository'));
    const commit = unquote(column(row, 'Tip commit'));
    if (!/^[0-9a-f]{40}$/.test(commit)) throw new GenError(`SOURCES.md: bad tip commit for ${repository}: ${commit}`);
    repos.set(repository, { repository, branch: unquote(column(row, 'Branch')), commit, license: unquote(column(row, 'License')) });
  }
  const files = [];
  for (const row of parseMarkdownTable(markdown, 'Files')) {
    const file = unquote(column(row, 'File'));
    const repository = unquote(column(row, 'Upstream repository'));
    const repo = repos.get(repository);
    if (!repo) throw new GenError(`SOURCES.md: ${file}: repository ${repository} is not in the Repositories table`);
    const shortCommit = unquote(column(row, 'Commit'));
    if (!repo.commit.startsWith(shortCommit)) {
      throw new GenError(`SOURCES.md: ${file}: commit ${shortCommit} does not match ${repository} tip ${repo.commit}`);
    }
    files.push({
      file,
      repository,
      path: unquote(column(row, 'Upstream path')),
      commit: repo.commit,
      license: repo.license,
      sha256: unquote(column(row, 'sha256')).toLowerCase(),
    });
  }
  const notice = /NOTICE` file: "([^"]+)"/.exec(markdown)?.[1] ?? SCHEMASTORE_NOTICE_FALLBACK;
  return { repos, files, schemaStoreNotice: notice };
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const json = (value) => JSON.stringify(value, null, 2) + '\n';
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Computes all output files (relative POSIX path → Buffer) from the upstream folder.
 * Pure apart from reading `upstreamDir`.
 */
export function generate(upstreamDir) {
  const sourcesMd = fs.readFileSync(path.join(upstreamDir, 'SOURCES.md'), 'utf8');
  const { files, schemaStoreNotice } = readSourcesMd(sourcesMd);
  if (files.length === 0) throw new GenError('SOURCES.md: the Files table is empty');

  // Every data file in the folder must have provenance in SOURCES.md.
  const listed = new Set(files.map((f) => f.file));
  for (const rel of listDataFiles(upstreamDir)) {
    if (!listed.has(rel)) throw new GenError(`${rel} is in the upstream folder but not in SOURCES.md's Files table`);
  }

  const outputs = new Map();
  const index = [];
  const provenance = []; // for SOURCES.md
  const dropped = new Map();
  const operatorAdditions = new Set();
  let sawKustomization = false;

  for (const src of [...files].sort((a, b) => cmp(a.file, b.file))) {
    const abs = path.join(upstreamDir, ...src.file.split('/'));
    if (!fs.existsSync(abs)) throw new GenError(`${src.file} is listed in SOURCES.md but missing from ${upstreamDir}`);
    const bytes = fs.readFileSync(abs);
    const digest = sha256(bytes);
    if (src.sha256 && digest !== src.sha256) {
      throw new GenError(`${src.file}: sha256 ${digest} differs from SOURCES.md (${src.sha256}); update SOURCES.md first`);
    }
    const source = { repository: src.repository, path: src.path, commit: src.commit, sha256: digest };

    if (src.file.endsWith('.json')) {
      if (path.posix.basename(src.file) !== 'kustomization.json') {
        throw new GenError(`${src.file}: unexpected JSON input (only SchemaStore's kustomization.json is supported)`);
      }
      if (sawKustomization) throw new GenError('more than one kustomization.json input');
      sawKustomization = true;
      JSON.parse(bytes.toString('utf8')); // must at least be valid JSON
      outputs.set(KUSTOMIZATION_OUT_FILE, bytes); // byte-for-byte copy
      for (const { apiVersion, kind } of KUSTOMIZE_CONFIG_KINDS) {
        index.push({ apiVersion, kind, file: KUSTOMIZATION_OUT_FILE, deprecated: false, source });
      }
      provenance.push({ src, digest, outputs: [KUSTOMIZATION_OUT_FILE], note: 'copied byte-for-byte' });
      continue;
    }

    const docs = YAML.parseAllDocuments(bytes.toString('utf8'));
    const produced = [];
    for (const d of docs) {
      if (d.errors.length > 0) throw new GenError(`${src.file}: YAML error: ${d.errors[0].message}`);
      const crd = d.toJS();
      if (crd == null) continue;
      if (crd.kind !== 'CustomResourceDefinition') continue;
      const group = crd.spec?.group;
      const kind = crd.spec?.names?.kind;
      if (!group || !kind) throw new GenError(`${src.file}: CRD without spec.group / spec.names.kind`);
      for (const version of crd.spec.versions ?? []) {
        const openAPIV3Schema = version.schema?.openAPIV3Schema;
        if (!openAPIV3Schema) throw new GenError(`${src.file}: ${kind} ${version.name} has no openAPIV3Schema`);
        const file = versionSchemaFile(group, kind, version.name);
        if (outputs.has(file)) throw new GenError(`${file} would be generated twice`);
        const comment =
          `Generated by scripts/gen-schemas.mjs from ${src.repository} ${src.path} at ${src.commit}` +
          ` (${src.license}). Do not edit.`;
        const schema = buildVersionSchema({ group, kind, version, openAPIV3Schema, comment }, dropped);
        if (addOperatorKinds(schema, group, kind)) operatorAdditions.add(src.file);
        outputs.set(file, Buffer.from(json(schema)));
        index.push({ apiVersion: `${group}/${version.name}`, kind, file, deprecated: schema.deprecated === true, source });
        produced.push(file);
      }
    }
    if (produced.length === 0) throw new GenError(`${src.file}: no CustomResourceDefinition versions found`);
    const note = operatorAdditions.has(src.file)
      ? `converted from openAPIV3Schema; the Flux Operator's kinds (${OPERATOR_KINDS.join(', ')}) added to the event source / resource \`kind\` enums`
      : 'converted from openAPIV3Schema';
    provenance.push({ src, digest, outputs: produced, note });
  }
  if (!sawKustomization) throw new GenError('SchemaStore kustomization.json not found among the inputs');

  index.sort((a, b) => cmp(a.file, b.file) || cmp(a.apiVersion, b.apiVersion) || cmp(a.kind, b.kind));
  outputs.set('index.json', Buffer.from(json(index)));
  outputs.set('SOURCES.md', Buffer.from(renderSourcesMd(provenance, index, schemaStoreNotice)));

  const droppedSummary = [...dropped.entries()].sort((a, b) => cmp(a[0], b[0]));
  return { outputs, index, droppedSummary };
}

function listDataFiles(dir) {
  const result = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(dir, entry.name), { withFileTypes: true })) {
      if (f.isFile() && /\.(ya?ml|json)$/.test(f.name)) result.push(`${entry.name}/${f.name}`);
    }
  }
  return result.sort(cmp);
}

function renderSourcesMd(provenance, index, schemaStoreNotice) {
  const repos = new Map();
  for (const { src } of provenance) repos.set(src.repository, src);
  const lines = [
    '# Schema sources',
    '',
    'Generated by `scripts/gen-schemas.mjs` (`npm run schemas`); do not edit by hand.',
    '',
    'The `<group>/<kind>-<version>.json` schemas are converted from the `openAPIV3Schema` of the upstream',
    'CustomResourceDefinitions (OpenAPI v3 → JSON Schema draft-07; `x-kubernetes-*` extensions and CEL',
    'validation rules are not carried over). `kustomize/kustomization.json` is SchemaStore\'s schema, unmodified.',
    '`index.json` lists every schema with its upstream repository, path, commit and the sha256 of the input file.',
    '',
    '## Repositories',
    '',
    '| Repository | Commit | License |',
    '|---|---|---|',
  ];
  for (const r of [...repos.values()].sort((a, b) => cmp(a.repository, b.repository))) {
    lines.push(`| [${r.repository}](https://github.com/${r.repository}) | \`${r.commit}\` | ${r.license} |`);
  }
  lines.push('', '## Files', '', '| Schema file(s) | Upstream repository | Upstream path | Input sha256 | How |', '|---|---|---|---|---|');
  for (const p of provenance) {
    const outs = p.outputs.map((o) => `\`${o}\``).join('<br>');
    const url = `https://github.com/${p.src.repository}/blob/${p.src.commit}/${p.src.path}`;
    lines.push(`| ${outs} | ${p.src.repository} | [\`${p.src.path}\`](${url}) | \`${p.digest}\` | ${p.note} |`);
  }
  lines.push('', '## API versions', '', '| apiVersion | kind | Schema file | Deprecated |', '|---|---|---|---|');
  for (const e of index) lines.push(`| \`${e.apiVersion}\` | ${e.kind} | \`${e.file}\` | ${e.deprecated ? 'yes' : 'no'} |`);
  lines.push(
    '',
    '## Licenses and attribution',
    '',
    'All upstream repositories above are licensed under the Apache License, Version 2.0',
    '(https://www.apache.org/licenses/LICENSE-2.0); the upstream `LICENSE` files carry the license text.',
    'The generated CRD schemas are derivative works of the upstream CRDs (converted; the only other change is the',
    'Flux Operator\'s kinds added to the notification `kind` enums, as the operator itself patches those CRDs).',
    '',
    `- SchemaStore/schemastore NOTICE: "${schemaStoreNotice}"`,
    '  (kept here per Apache-2.0 section 4(d); applies to `kustomize/kustomization.json`).',
    '',
  );
  return lines.join('\n');
}

/** Writes outputs into outDir; removes files a previous run listed in index.json that are no longer generated. */
export function writeOutputs(outDir, outputs) {
  const previous = readPreviousIndexFiles(outDir);
  fs.mkdirSync(outDir, { recursive: true });
  for (const [rel, bytes] of [...outputs.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    const abs = path.join(outDir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (fs.existsSync(abs) && fs.readFileSync(abs).equals(bytes)) continue;
    fs.writeFileSync(abs, bytes);
  }
  const removed = [];
  for (const rel of previous) {
    if (outputs.has(rel)) continue;
    const abs = path.resolve(outDir, ...rel.split('/'));
    if (!abs.startsWith(path.resolve(outDir) + path.sep) || !fs.existsSync(abs)) continue;
    fs.rmSync(abs);
    removed.push(rel);
    const dir = path.dirname(abs);
    if (dir !== path.resolve(outDir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
  return removed;
}

function readPreviousIndexFiles(outDir) {
  try {
    const idx = JSON.parse(fs.readFileSync(path.join(outDir, 'index.json'), 'utf8'));
    return Array.isArray(idx) ? [...new Set(idx.map((e) => e?.file).filter((f) => typeof f === 'string'))] : [];
  } catch {
    return [];
  }
}

function main() {
  const upstreamDir = path.resolve(
    process.env.FLUX_FLEET_UPSTREAM_SCHEMAS || path.resolve(scriptDir, '../../shared/upstream-schemas'),
  );
  const outDir = path.resolve(process.env.FLUX_FLEET_SCHEMAS_OUT || path.join(projectRoot, 'schemas'));
  if (!fs.existsSync(path.join(upstreamDir, 'SOURCES.md'))) {
    console.error(
      `gen-schemas: upstream schema folder not found: ${upstreamDir} (expected SOURCES.md there).\n` +
        'Put the upstream CRDs in ../shared/upstream-schemas next to the project, or set FLUX_FLEET_UPSTREAM_SCHEMAS.',
    );
    process.exit(1);
  }
  try {
    const { outputs, index, droppedSummary } = generate(upstreamDir);
    const removed = writeOutputs(outDir, outputs);
    const rel = path.relative(process.cwd(), outDir) || '.';
    console.log(`gen-schemas: wrote ${outputs.size} files (${index.length} index entries) to ${rel}`);
    for (const r of removed) console.log(`gen-schemas: removed stale ${r}`);
    if (droppedSummary.length > 0) {
      console.log(`gen-schemas: dropped keywords: ${droppedSummary.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    }
  } catch (err) {
    if (err instanceof GenError) {
      console.error(`gen-schemas: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (invokedDirectly) main();
