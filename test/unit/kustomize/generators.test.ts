// The kustomize generators (configMapGenerator / secretGenerator), their merge behaviours and the name-suffix hash.
//
// The "kubectl parity" cases below are literal outputs of `kubectl kustomize` (kubectl v1.32.4, kustomize v5.5.0),
// obtained by writing each case's files to a temp dir under /tmp and running `kubectl kustomize DIR` on it. Error
// cases keep kubectl's message (kubectlError) beside ours (error). The driver here is a minimal in-memory build:
// generators of each level (bases first), merged by behavior, then namePrefix/nameSuffix/namespace on generated
// objects, then — in the root only — applyNameSuffixHash and removeBuildAnnotations.
import { describe, test } from 'node:test';
import { pushWrite } from '../../../server/src/core/kustomize/provenance';
import assert from 'node:assert/strict';
import { posix as path } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  applyGeneratorBehavior,
  generate,
  generatorBehavior,
  parseEnvFile,
  pointer,
  yamlReadsAsNonString,
  hasYamlForbiddenChar,
  type GeneratorField,
  type GeneratorSpec,
  type ReadFile,
} from '../../../server/src/core/kustomize/generators';
import {
  NEEDS_HASH_ANNOTATION,
  applyNameSuffixHash,
  compareGoStrings,
  encodeHashSuffix,
  goJsonMarshal,
  hashInput,
  kustomizeHash,
  needsNameSuffixHash,
  removeBuildAnnotations,
  setNeedsNameSuffixHash,
} from '../../../server/src/core/kustomize/hash';
import type { JsonObject, Resource } from '../../../server/src/core/kustomize/types';
import { layerLabel, stepLayer } from '../../../server/src/core/layer';

const bytes = (b: number[]) => Uint8Array.from(b);
const ROOT = '/fleet';

type Files = Record<string, string | Uint8Array>;
interface Case {
  name: string;
  files: Files;
  kubectl?: string;
  kubectlError?: string;
  error?: string;
}

function reader(files: Files): ReadFile {
  return (p) => (p.startsWith(ROOT + '/') ? files[p.slice(ROOT.length + 1)] : undefined);
}

interface Built {
  resource: Resource;
  orig: { name: string; namespace: string };
}

/** Generators of one kustomization and its bases (directories in `resources:`). Throws on the first error. */
function level(files: Files, dir: string, readFile: ReadFile): Built[] {
  const kfile = path.join(dir, 'kustomization.yaml');
  const text = files[path.relative(ROOT, kfile)];
  const k = (parse(String(text), { version: '1.1' }) ?? {}) as Record<string, unknown> & { generatorOptions?: never };
  const out: Built[] = [];
  for (const r of (k.resources as string[] | undefined) ?? []) out.push(...level(files, path.resolve(dir, r), readFile));
  for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
    for (const spec of ((k[field] as GeneratorSpec[] | undefined) ?? [])) {
      const g = generate(kind, spec, kfile, k.generatorOptions, readFile);
      const errors = g.issues.filter((i) => i.severity === 'error');
      if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
      const meta = g.resource!.obj.metadata as JsonObject;
      const orig = { name: String(meta.name), namespace: String(meta.namespace ?? '') };
      const i = out.findIndex((b) => b.resource.obj.kind === kind && b.orig.name === orig.name && b.orig.namespace === orig.namespace);
      const merged = applyGeneratorBehavior(i >= 0 ? out[i].resource : undefined, g.resource!, spec.behavior);
      if (!merged.resource) throw new Error(merged.issues.map((e) => e.message).join('; '));
      if (i >= 0) out[i] = { resource: merged.resource, orig: out[i].orig };
      else out.push({ resource: merged.resource, orig });
    }
  }
  for (const b of out) {
    const meta = b.resource.obj.metadata as JsonObject;
    meta.name = `${(k.namePrefix as string) ?? ''}${String(meta.name)}${(k.nameSuffix as string) ?? ''}`;
    if (typeof k.namespace === 'string') meta.namespace = k.namespace;
  }
  return out;
}

function build(files: Files): JsonObject[] {
  const resources = level(files, ROOT, reader(files)).map((b) => b.resource);
  for (const r of resources) {
    applyNameSuffixHash(r);
    removeBuildAnnotations(r);
  }
  return resources.map((r) => r.obj);
}

const sortKey = (o: JsonObject) => `${String(o.kind)}|${String((o.metadata as JsonObject).namespace ?? '')}|${String((o.metadata as JsonObject).name)}`;
const sorted = (list: JsonObject[]) => [...list].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

// prettier-ignore
const CASES: Case[] = [
  {
    name: "lit-basic",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1, b=two, c=]
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
  b: two
  c: ""
kind: ConfigMap
metadata:
  name: cm-4gcgc9hk47
`,
  },
  {
    name: "lit-quotes",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals:
  - a="q"
  - b='s'
  - c="mis'
  - d=""
  - e="
  - f=x"y"
`,
    },
    kubectl: `apiVersion: v1
data:
  a: q
  b: s
  c: '"mis'''
  d: ""
  e: '"'
  f: x"y"
kind: ConfigMap
metadata:
  name: cm-f2bc7ktd8f
`,
  },
  {
    name: "lit-html",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals:
  - html=<b>&amp;</b>
  - x=a>b
  - y=a&&b
`,
    },
    kubectl: `apiVersion: v1
data:
  html: <b>&amp;</b>
  x: a>b
  "y": a&&b
kind: ConfigMap
metadata:
  name: cm-96b5cbffd2
`,
  },
  {
    name: "lit-unicode",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals:
  - u=ünïcödé ☃ 日本語
  - emoji=😀🎉
`,
    },
    kubectl: "apiVersion: v1\ndata:\n  emoji: \"\\U0001F600\\U0001F389\"\n  u: ünïcödé ☃ 日本語\nkind: ConfigMap\nmetadata:\n  name: cm-k2fc89dm8t\n",
  },
  {
    name: "file-linesep",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [ls.txt]
`,
      "ls.txt": "\u2028\u2029\u0085",
    },
    kubectl: "apiVersion: v1\ndata:\n  ls.txt: \"\\L\\P \"\nkind: ConfigMap\nmetadata:\n  name: cm-k2tcch44db\n",
  },
  {
    name: "lit-escapes",
    files: {
      "kustomization.yaml": "configMapGenerator:\n- name: cm\n  literals:\n  - \"ctl=\\x01\\b\\f\\t\\n\\r\\x7f\\\\\\\"/\"\n",
    },
    kubectlError: "builtin ConfigMapGenerator marshal: yaml: control characters are not allowed",
    error: "data \"ctl\": yaml: control characters are not allowed",
  },
  {
    name: "lit-escapes-c0",
    files: {
      "kustomization.yaml": "configMapGenerator:\n- name: cm\n  literals:\n  - \"ctl=\\x01\\b\\f\\t\\n\\r\\\\\\\"/\\u00e9\\U0001F600\"\n",
    },
    kubectl: "apiVersion: v1\ndata:\n  ctl: \"\\x01\\b\\f\\t\\n\\r\\\\\\\"/é\\U0001F600\"\nkind: ConfigMap\nmetadata:\n  name: cm-mmk7dm5h27\n",
  },
  {
    name: "lit-eq",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: ["url=https://x?a=b&c=d", "k==v"]
`,
    },
    kubectl: `apiVersion: v1
data:
  k: =v
  url: https://x?a=b&c=d
kind: ConfigMap
metadata:
  name: cm-8k8h52cf7d
`,
  },
  {
    name: "lit-keys-order",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [b=1, B=2, a=3, A=4, _x=5, -y=6, .z=7, "9a=8", a.b=9, a-b=10, a_b=11, "Z=12", "z=13"]
`,
    },
    kubectl: `apiVersion: v1
data:
  -y: "6"
  .z: "7"
  _x: "5"
  9a: "8"
  A: "4"
  B: "2"
  Z: "12"
  a: "3"
  a-b: "10"
  a.b: "9"
  a_b: "11"
  b: "1"
  z: "13"
kind: ConfigMap
metadata:
  name: cm-gm4759m7kg
`,
  },
  {
    name: "lit-multiline",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals:
  - |-
    script=#!/bin/sh
    echo "hi" > /tmp/x && exit 0
`,
    },
    kubectl: `apiVersion: v1
data:
  script: |-
    #!/bin/sh
    echo "hi" > /tmp/x && exit 0
kind: ConfigMap
metadata:
  name: cm-95984b69d2
`,
  },
  {
    name: "lit-long",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals:
  - long=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
`,
    },
    kubectl: `apiVersion: v1
data:
  long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
kind: ConfigMap
metadata:
  name: cm-7889fcgt2m
`,
  },
  {
    name: "empty-cm",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
`,
    },
    kubectl: `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-6ct58987ht
`,
  },
  {
    name: "empty-secret",
    files: {
      "kustomization.yaml": `secretGenerator:
- name: s
`,
    },
    kubectl: `apiVersion: v1
data: {}
kind: Secret
metadata:
  name: s-46f8b28mk5
type: Opaque
`,
  },
  {
    name: "lit-keys-odd",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: ["a b=1", "a/b=2", "1a=3", "ü=4"]
`,
    },
    kubectl: `apiVersion: v1
data:
  1a: "3"
  a b: "1"
  a/b: "2"
  ü: "4"
kind: ConfigMap
metadata:
  name: cm-2b72m6m6k5
`,
  },
  {
    name: "err-dup",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1, a=2]
`,
    },
    kubectlError: "configmap cm illegally repeats the key `a`",
    error: "configmap cm illegally repeats the key `a`",
  },
  {
    name: "err-nokey",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [=1]
`,
    },
    kubectlError: "loading KV pairs: literal sources [=1]: invalid literal source =1, expected key=value",
    error: "invalid literal source =1, expected key=value",
  },
  {
    name: "err-noeq",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [abc]
`,
    },
    kubectlError: "loading KV pairs: literal sources [abc]: invalid literal source abc, expected key=value",
    error: "invalid literal source abc, expected key=value",
  },
  {
    name: "err-noname",
    files: {
      "kustomization.yaml": `configMapGenerator:
- literals: [a=1]
`,
    },
    kubectlError: "a configmap must have a name",
    error: "a configmap must have a name",
  },
  {
    name: "err-dup-across",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a.txt=1]
  files: [a.txt]
`,
      "a.txt": "x",
    },
    kubectlError: "configmap cm illegally repeats the key `a.txt`",
    error: "configmap cm illegally repeats the key `a.txt`",
  },
  {
    name: "err-outside",
    files: {
      "k/kustomization.yaml": `configMapGenerator:
- name: cm
  files: [../x.txt]
`,
      "x.txt": "x",
      "kustomization.yaml": `resources: [k]
`,
    },
    kubectlError: "accumulating resources: accumulation err='accumulating resources from 'k': '/fleet/k' must resolve to a file': recursed accumulation of path '/fleet/k': loading KV pairs: file sources: [../x.txt]: security; file '/fleet/x.txt' is not in or below '/fleet/k'",
    error: "security; file '/fleet/x.txt' is not in or below '/fleet/k'",
  },
  {
    name: "err-missing",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [nope.txt]
`,
    },
    kubectlError: "loading KV pairs: file sources: [nope.txt]: evalsymlink failure on '/fleet/nope.txt' : lstat /fleet/nope.txt: no such file or directory",
    error: "file '/fleet/nope.txt' not found (or not a file)",
  },
  {
    name: "err-file-eq",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [a=b=c.txt]
`,
    },
    kubectlError: "loading KV pairs: file sources: [a=b=c.txt]: source \"a=b=c.txt\" key name or file path contains '='",
    error: "source \"a=b=c.txt\" key name or file path contains '='",
  },
  {
    name: "err-file-nokey",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [=c.txt]
`,
    },
    kubectlError: "loading KV pairs: file sources: [=c.txt]: missing key name for file path \"c.txt\" in source \"=c.txt\"",
    error: "missing key name for file path \"c.txt\" in source \"=c.txt\"",
  },
  {
    name: "err-file-nopath",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [c=]
`,
    },
    kubectlError: "loading KV pairs: file sources: [c=]: missing file path for key name \"c\" in source \"c=\"",
    error: "missing file path for key name \"c\" in source \"c=\"",
  },
  {
    name: "err-create-exists",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1]
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  literals: [b=1]
`,
    },
    kubectlError: "id resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:\"ConfigMap\", isClusterScoped:false}, Name:\"cm\", Namespace:\"\"} exists; behavior must be merge or replace",
    error: "ConfigMap cm already exists; behavior must be merge or replace",
  },
  {
    name: "err-merge-missing",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  behavior: merge
  literals: [b=1]
`,
    },
    kubectlError: "id resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:\"ConfigMap\", isClusterScoped:false}, Name:\"cm\", Namespace:\"\"} does not exist; cannot merge or replace",
    error: "ConfigMap cm does not exist; cannot merge",
  },
  {
    name: "err-env-badutf8",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [e.env]
`,
      "e.env": bytes([65,61,255,10]),
    },
    kubectlError: "loading KV pairs: env source files: [e.env]: line [65 61 255] has invalid utf8 bytes : A=\\xff",
    error: "env file 'e.env' has invalid utf8 bytes",
  },
  {
    name: "files-basic",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [app.properties, sub/dir/x.json, key=app.properties]
`,
      "app.properties": `a=1
b=2
`,
      "sub/dir/x.json": "{\"a\": \"<&>\"}",
    },
    kubectl: `apiVersion: v1
data:
  app.properties: |
    a=1
    b=2
  key: |
    a=1
    b=2
  x.json: '{"a": "<&>"}'
kind: ConfigMap
metadata:
  name: cm-cg78tmdtbt
`,
  },
  {
    name: "files-crlf-bom",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [w.txt, b.txt]
`,
      "w.txt": "l1\r\nl2\r\n",
      "b.txt": "\ufeffbom",
    },
    kubectl: "apiVersion: v1\ndata:\n  b.txt: \"\\uFEFF\\x62\\x6F\\x6D\"\n  w.txt: \"l1\\r\\nl2\\r\\n\"\nkind: ConfigMap\nmetadata:\n  name: cm-5d59hhf7fc\n",
  },
  {
    name: "files-binary",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [b.bin, t.txt]
`,
      "b.bin": bytes([0,1,2,255,254,128]),
      "t.txt": "text",
    },
    kubectl: `apiVersion: v1
binaryData:
  b.bin: AAEC//6A
data:
  t.txt: text
kind: ConfigMap
metadata:
  name: cm-8fddmh62km
`,
  },
  {
    name: "files-binary-secret",
    files: {
      "kustomization.yaml": `secretGenerator:
- name: s
  files: [b.bin, t.txt]
`,
      "b.bin": bytes([0,1,2,255,254,128]),
      "t.txt": "text",
    },
    kubectl: `apiVersion: v1
data:
  b.bin: AAEC//6A
  t.txt: dGV4dA==
kind: Secret
metadata:
  name: s-5bbktdddff
type: Opaque
`,
  },
  {
    name: "files-empty",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [e.txt]
`,
      "e.txt": "",
    },
    kubectl: `apiVersion: v1
data:
  e.txt: ""
kind: ConfigMap
metadata:
  name: cm-fft8229g26
`,
  },
  {
    name: "files-nul-valid-utf8",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [z.txt]
`,
      "z.txt": bytes([97,0,98,27,12,8]),
    },
    kubectl: "apiVersion: v1\ndata:\n  z.txt: \"a\\0b\\e\\f\\b\"\nkind: ConfigMap\nmetadata:\n  name: cm-hbbf67kdt7\n",
  },
  {
    name: "files-ctl",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [c.txt]
`,
      "c.txt": bytes([1,2,3,31,127,226,128,168,226,128,169,239,191,189,60,62,38,92,34,39]),
    },
    kubectlError: "<object dump>: yaml: control characters are not allowed",
    error: "data \"c.txt\": yaml: control characters are not allowed",
  },
  {
    name: "env-basic",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [a.env]
`,
      "a.env": `A=1
B=two words
# comment

  C=indented
D="quoted"
E='single'
F=x=y
G
H=
export I=1
`,
    },
    kubectl: `apiVersion: v1
data:
  A: "1"
  B: two words
  C: indented
  D: '"quoted"'
  E: '''single'''
  F: x=y
  G: ""
  H: ""
  export I: "1"
kind: ConfigMap
metadata:
  name: cm-t28f6b5468
`,
  },
  {
    name: "env-ws",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [a.env]
`,
      "a.env": "\ufeffA = 1 \r\nB=\tt\t\r\n   \t \n\t# c\nC=last",
    },
    kubectl: "apiVersion: v1\ndata:\n  'A ': ' 1 '\n  B: \"\\tt\\t\"\n  C: last\nkind: ConfigMap\nmetadata:\n  name: cm-8gbk9tckhk\n",
  },
  {
    name: "env-empty-key",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [a.env]
`,
      "a.env": `=x
  =y
A=1
`,
    },
    kubectl: `apiVersion: v1
data:
  A: "1"
kind: ConfigMap
metadata:
  name: cm-89g4tffbfk
`,
  },
  {
    name: "env-fromenv",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [a.env]
`,
      "a.env": `HOME_X
PATHX=1
`,
    },
    kubectl: `apiVersion: v1
data:
  HOME_X: ""
  PATHX: "1"
kind: ConfigMap
metadata:
  name: cm-5g49dd9746
`,
  },
  {
    name: "env-multi",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  env: c.env
  envs: [a.env, b.env]
  literals: [lit=1]
`,
      "a.env": `A=1
`,
      "b.env": `B=2
`,
      "c.env": `C=3
`,
    },
    kubectl: `apiVersion: v1
data:
  A: "1"
  B: "2"
  C: "3"
  lit: "1"
kind: ConfigMap
metadata:
  name: cm-9k5mk276k2
`,
  },
  {
    name: "env-secret",
    files: {
      "kustomization.yaml": `secretGenerator:
- name: s
  envs: [a.env]
`,
      "a.env": `USER=admin
PASS=p@ss=w0rd!<>
`,
    },
    kubectl: `apiVersion: v1
data:
  PASS: cEBzcz13MHJkITw+
  USER: YWRtaW4=
kind: Secret
metadata:
  name: s-4m4f4h5465
type: Opaque
`,
  },
  {
    name: "env-unicode",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [a.env]
`,
      "a.env": `GREETING=grüß dich 👋
JP=日本
`,
    },
    kubectl: "apiVersion: v1\ndata:\n  GREETING: \"grüß dich \\U0001F44B\"\n  JP: 日本\nkind: ConfigMap\nmetadata:\n  name: cm-km5t529td4\n",
  },
  {
    name: "err-key-int",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: ["9=x"]
`,
    },
    kubectlError: "<object dump>: json: unsupported type: map[interface {}]interface {}",
    error: "data key \"9\" reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})",
  },
  {
    name: "err-key-null",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: ["null=x"]
`,
    },
    kubectlError: "<object dump>: json: unsupported type: map[interface {}]interface {}",
    error: "data key \"null\" reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})",
  },
  {
    name: "err-key-float",
    files: {
      "kustomization.yaml": `secretGenerator:
- name: s
  literals: ["1e3=x"]
`,
    },
    kubectlError: "<object dump>: json: unsupported type: map[interface {}]interface {}",
    error: "data key \"1e3\" reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})",
  },
  {
    name: "err-key-date",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: ["2001-12-14=x"]
`,
    },
    kubectlError: "<object dump>: json: unsupported type: map[interface {}]interface {}",
    error: "data key \"2001-12-14\" reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})",
  },
  {
    name: "err-key-octal",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: ["089=x"]
`,
    },
    kubectlError: "<object dump>: json: unsupported type: map[interface {}]interface {}",
    error: "data key \"089\" reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})",
  },
  {
    name: "err-label-key-bool",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=b]
  options:
    labels: {"true": "x"}
`,
    },
    kubectlError: "<object dump>: json: unsupported type: map[interface {}]interface {}",
    error: "labels key \"true\" reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})",
  },
  {
    name: "ok-key-yes",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: ["yes=x", "on=y", "1a=z", "-=w", "+x=v", "0x=u", ".5x=t"]
  options:
    annotations: {"yes": "x"}
`,
    },
    kubectl: `apiVersion: v1
data:
  +x: v
  '-': w
  .5x: t
  0x: u
  1a: z
  "on": "y"
  "yes": x
kind: ConfigMap
metadata:
  annotations:
    "yes": x
  name: cm-f8fc4b4487
`,
  },
  {
    name: "err-del-char",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [d.txt]
`,
      "d.txt": "a\u007fb",
    },
    kubectlError: "<object dump>: yaml: control characters are not allowed",
    error: "data \"d.txt\": yaml: control characters are not allowed",
  },
  {
    name: "err-c1-char",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [d.env]
`,
      "d.env": "A=\u0090\n",
    },
    kubectlError: "<object dump>: yaml: control characters are not allowed",
    error: "data \"A\": yaml: control characters are not allowed",
  },
  {
    name: "ok-c0-chars",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  files: [d.txt]
`,
      "d.txt": "\u0000\u0001\b\u000b\f\u001b\u001f",
    },
    kubectl: "apiVersion: v1\ndata:\n  d.txt: \"\\0\\x01\\b\\v\\f\\e\\x1F\"\nkind: ConfigMap\nmetadata:\n  name: cm-kgbb46g75k\n",
  },
  {
    name: "ok-del-secret",
    files: {
      "kustomization.yaml": `secretGenerator:
- name: s
  files: [d.txt]
`,
      "d.txt": "a\u007fb\u0090",
    },
    kubectl: `apiVersion: v1
data:
  d.txt: YX9iwpA=
kind: Secret
metadata:
  name: s-k6ckff8k5t
type: Opaque
`,
  },
  {
    name: "env-dup",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  envs: [a.env]
  literals: [A=2]
`,
      "a.env": `A=1
`,
    },
    kubectlError: "configmap cm illegally repeats the key `A`",
    error: "configmap cm illegally repeats the key `A`",
  },
  {
    name: "secret-types",
    files: {
      "kustomization.yaml": `secretGenerator:
- name: opaque
  literals: [a=1]
- name: tls
  type: kubernetes.io/tls
  literals: [tls.crt=CERT, tls.key=KEY]
- name: dockercfg
  type: kubernetes.io/dockerconfigjson
  literals: ['.dockerconfigjson={"auths":{}}']
- name: emptytype
  type: ""
  literals: [a=1]
`,
    },
    kubectl: `apiVersion: v1
data:
  .dockerconfigjson: eyJhdXRocyI6e319
kind: Secret
metadata:
  name: dockercfg-bm4mtdbm8c
type: kubernetes.io/dockerconfigjson
---
apiVersion: v1
data:
  a: MQ==
kind: Secret
metadata:
  name: emptytype-25khgmg44c
type: Opaque
---
apiVersion: v1
data:
  a: MQ==
kind: Secret
metadata:
  name: opaque-25khgmg44c
type: Opaque
---
apiVersion: v1
data:
  tls.crt: Q0VSVA==
  tls.key: S0VZ
kind: Secret
metadata:
  name: tls-4b255hm948
type: kubernetes.io/tls
`,
  },
  {
    name: "secret-ns-immutable",
    files: {
      "kustomization.yaml": `secretGenerator:
- name: s
  namespace: prod
  literals: [a=1]
  options:
    immutable: true
    labels: {app: x}
    annotations: {note: "<&>"}
`,
    },
    kubectl: `apiVersion: v1
data:
  a: MQ==
immutable: true
kind: Secret
metadata:
  annotations:
    note: <&>
  labels:
    app: x
  name: s-25khgmg44c
  namespace: prod
type: Opaque
`,
  },
  {
    name: "opts-labels-no-hash-effect",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: a
  literals: [k=v]
- name: b
  literals: [k=v]
  options:
    labels: {x: "1"}
    annotations: {z: "2"}
- name: c
  namespace: other
  literals: [k=v]
- name: d
  literals: [k=v]
  options:
    immutable: true
`,
    },
    kubectl: `apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: c-bdg947hgcc
  namespace: other
---
apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: a-bdg947hgcc
---
apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  annotations:
    z: "2"
  labels:
    x: "1"
  name: b-bdg947hgcc
---
apiVersion: v1
data:
  k: v
immutable: true
kind: ConfigMap
metadata:
  name: d-bdg947hgcc
`,
  },
  {
    name: "opts-global",
    files: {
      "kustomization.yaml": `generatorOptions:
  labels: {g: global, both: global}
  annotations: {ga: "1"}
configMapGenerator:
- name: cm
  literals: [k=v]
  options:
    labels: {both: local, l: local}
    annotations: {la: "2"}
`,
    },
    kubectl: `apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  annotations:
    ga: "1"
    la: "2"
  labels:
    both: local
    g: global
    l: local
  name: cm-bdg947hgcc
`,
  },
  {
    name: "opts-global-disable",
    files: {
      "kustomization.yaml": `generatorOptions:
  disableNameSuffixHash: true
configMapGenerator:
- name: cm
  literals: [k=v]
  options:
    disableNameSuffixHash: false
`,
    },
    kubectl: `apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: cm
`,
  },
  {
    name: "opts-global-immutable",
    files: {
      "kustomization.yaml": `generatorOptions:
  immutable: true
secretGenerator:
- name: s
  literals: [k=v]
  options:
    immutable: false
`,
    },
    kubectl: `apiVersion: v1
data:
  k: dg==
immutable: true
kind: Secret
metadata:
  name: s-ftgtgc4t9f
type: Opaque
`,
  },
  {
    name: "opts-local-disable",
    files: {
      "kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [k=v]
  options:
    disableNameSuffixHash: true
`,
    },
    kubectl: `apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: cm
`,
  },
  {
    name: "prefix-suffix-ns",
    files: {
      "kustomization.yaml": `namePrefix: p-
nameSuffix: -s
namespace: team
configMapGenerator:
- name: cm
  literals: [k=v]
secretGenerator:
- name: sec
  literals: [k=v]
`,
    },
    kubectl: `apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: p-cm-s-bdg947hgcc
  namespace: team
---
apiVersion: v1
data:
  k: dg==
kind: Secret
metadata:
  name: p-sec-s-ftgtgc4t9f
  namespace: team
type: Opaque
`,
  },
  {
    name: "merge-data",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1, b=2]
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: merge
  literals: [b=3, c=4]
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
  b: "3"
  c: "4"
kind: ConfigMap
metadata:
  name: cm-fbcmkbc66h
`,
  },
  {
    name: "replace-data",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1, b=2]
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: replace
  literals: [b=3, c=4]
`,
    },
    kubectl: `apiVersion: v1
data:
  b: "3"
  c: "4"
kind: ConfigMap
metadata:
  name: cm-d2944cbhhg
`,
  },
  {
    name: "merge-meta",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1]
  options:
    labels: {l1: base, l2: base}
    annotations: {a1: base}
    immutable: true
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: merge
  literals: [b=2]
  options:
    labels: {l2: ov}
    annotations: {a2: ov}
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
  b: "2"
kind: ConfigMap
metadata:
  annotations:
    a1: base
    a2: ov
  labels:
    l1: base
    l2: ov
  name: cm-7gdc49gk6d
`,
  },
  {
    name: "replace-meta",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1]
  options:
    labels: {l1: base}
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: replace
  literals: [b=2]
  options:
    labels: {l2: ov}
    immutable: true
`,
    },
    kubectl: `apiVersion: v1
data:
  b: "2"
immutable: true
kind: ConfigMap
metadata:
  labels:
    l1: base
    l2: ov
  name: cm-fmbk44khfc
`,
  },
  {
    name: "merge-secret-type",
    files: {
      "base/kustomization.yaml": `secretGenerator:
- name: s
  type: kubernetes.io/tls
  literals: [tls.crt=a, tls.key=b]
`,
      "kustomization.yaml": `resources: [base]
secretGenerator:
- name: s
  behavior: merge
  literals: [extra=c]
`,
    },
    kubectl: `apiVersion: v1
data:
  extra: Yw==
  tls.crt: YQ==
  tls.key: Yg==
kind: Secret
metadata:
  name: s-ht24hgdcd8
type: Opaque
`,
  },
  {
    name: "merge-secret-empty",
    files: {
      "base/kustomization.yaml": `secretGenerator:
- name: s
`,
      "kustomization.yaml": `resources: [base]
secretGenerator:
- name: s
  behavior: merge
`,
    },
    kubectl: `apiVersion: v1
kind: Secret
metadata:
  name: s-8226t8dd99
type: Opaque
`,
  },
  {
    name: "replace-secret-empty",
    files: {
      "base/kustomization.yaml": `secretGenerator:
- name: s
  literals: [a=1]
`,
      "kustomization.yaml": `resources: [base]
secretGenerator:
- name: s
  behavior: replace
`,
    },
    kubectl: `apiVersion: v1
data: {}
kind: Secret
metadata:
  name: s-46f8b28mk5
type: Opaque
`,
  },
  {
    name: "merge-empty-cm",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: merge
`,
    },
    kubectl: `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-6ct58987ht
`,
  },
  {
    name: "merge-binary",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  files: [b.bin]
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: merge
  literals: [t=1]
`,
      "base/b.bin": bytes([255,254,0,1]),
    },
    kubectl: `apiVersion: v1
binaryData:
  b.bin: //4AAQ==
data:
  t: "1"
kind: ConfigMap
metadata:
  name: cm-tb762454kk
`,
  },
  {
    name: "merge-hash-off-ov",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1]
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: merge
  literals: [b=2]
  options:
    disableNameSuffixHash: true
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
  b: "2"
kind: ConfigMap
metadata:
  name: cm
`,
  },
  {
    name: "merge-hash-off-base",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1]
  options:
    disableNameSuffixHash: true
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: merge
  literals: [b=2]
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
  b: "2"
kind: ConfigMap
metadata:
  name: cm
`,
  },
  {
    name: "replace-hash-off-ov",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1]
`,
      "kustomization.yaml": `resources: [base]
configMapGenerator:
- name: cm
  behavior: replace
  literals: [b=2]
  options:
    disableNameSuffixHash: true
`,
    },
    kubectl: `apiVersion: v1
data:
  b: "2"
kind: ConfigMap
metadata:
  name: cm
`,
  },
  {
    name: "merge-prefixed-base",
    files: {
      "base/kustomization.yaml": `namePrefix: b-
namespace: bns
configMapGenerator:
- name: cm
  literals: [a=1]
`,
      "kustomization.yaml": `resources: [base]
namePrefix: o-
configMapGenerator:
- name: cm
  behavior: merge
  literals: [b=2]
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
  b: "2"
kind: ConfigMap
metadata:
  name: o-b-cm-7gdc49gk6d
  namespace: bns
`,
  },
  {
    name: "merge-global-opts",
    files: {
      "base/kustomization.yaml": `configMapGenerator:
- name: cm
  literals: [a=1]
  options:
    labels: {l: base}
`,
      "kustomization.yaml": `resources: [base]
generatorOptions:
  labels: {g: ov}
  immutable: true
configMapGenerator:
- name: cm
  behavior: merge
  literals: [b=2]
`,
    },
    kubectl: `apiVersion: v1
data:
  a: "1"
  b: "2"
immutable: true
kind: ConfigMap
metadata:
  labels:
    g: ov
    l: base
  name: cm-7gdc49gk6d
`,
  },
  {
    name: "merge-secret-data",
    files: {
      "base/kustomization.yaml": `secretGenerator:
- name: s
  literals: [a=1, b=2]
`,
      "kustomization.yaml": `resources: [base]
secretGenerator:
- name: s
  behavior: merge
  literals: [b=3]
`,
    },
    kubectl: `apiVersion: v1
data:
  a: MQ==
  b: Mw==
kind: Secret
metadata:
  name: s-6ftthf486d
type: Opaque
`,
  },
];

describe('generators: kubectl parity', () => {
  for (const c of CASES) {
    test(c.name, () => {
      if (c.kubectl === undefined) {
        assert.throws(() => build(c.files), (e: Error) => {
          assert.equal(e.message, c.error, `kubectl said: ${c.kubectlError}`);
          return true;
        });
        return;
      }
      const expected = parseAllDocuments(c.kubectl).map((d) => d.toJS() as JsonObject);
      if (c.name === 'file-linesep') {
        // kubectl prints U+0085 inside a double-quoted scalar, which YAML readers fold to a space; the hash (same
        // as kubectl's) proves the data was "\u2028\u2029\u0085".
        ((expected[0].data as JsonObject)['ls.txt'] as string) = '\u2028\u2029\u0085';
      }
      assert.deepEqual(plain(sorted(build(c.files))), plain(sorted(expected)));
    });
  }
});

describe('hash', () => {
  test('encodes the first 10 hex digits without vowels or 0/1/3', () => {
    assert.equal(encodeHashSuffix('0123456789abcdef'), 'gh2k456789');
    assert.equal(encodeHashSuffix('aeaeaeaeaeffff'), 'mtmtmtmtmt');
  });

  test('marshals JSON like Go: sorted keys, HTML-safe, U+2028/9 escaped, \\b \\f short escapes', () => {
    assert.equal(goJsonMarshal({ b: 1, a: '<x&y>', c: [true, null, 1.5] }), '{"a":"\\u003cx\\u0026y\\u003e","b":1,"c":[true,null,1.5]}');
    assert.equal(goJsonMarshal('\u2028\u2029\b\f\u0001\t"\\/é😀'), '"\\u2028\\u2029\\b\\f\\u0001\\t\\"\\\\/é😀"');
    // Go sorts by UTF-8 bytes (code points): U+FF61 before U+1F600, unlike JavaScript's UTF-16 sort.
    assert.equal(goJsonMarshal({ '\u{1F600}': 2, '\uff61': 1, B: 0, a: 0 }), '{"B":0,"a":0,"｡":1,"😀":2}');
    assert.ok(compareGoStrings('\uff61', '\u{1F600}') < 0);
    assert.ok('\uff61' > '\u{1F600}'); // what plain JS would have done
  });

  test('hashes kind, data, binaryData (ConfigMap) or type, data, stringData (Secret); the name is always ""', () => {
    const cm: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n', labels: { l: 'v' } }, data: { a: '1' }, immutable: true };
    assert.equal(hashInput(cm), '{"data":{"a":"1"},"kind":"ConfigMap","name":""}');
    assert.equal(hashInput({ kind: 'ConfigMap', metadata: { name: 'x' } }), '{"data":"","kind":"ConfigMap","name":""}');
    assert.equal(hashInput({ kind: 'ConfigMap', binaryData: { b: 'AA==' } }), '{"binaryData":{"b":"AA=="},"data":"","kind":"ConfigMap","name":""}');
    assert.equal(hashInput({ kind: 'Secret', stringData: { a: '1' } }), '{"data":"","kind":"Secret","name":"","stringData":{"a":"1"},"type":""}');
    assert.equal(hashInput({ kind: 'Deployment' }), undefined);
  });

  test('matches kubectl on known suffixes', () => {
    // kubectl: empty ConfigMaps "empty" and "k1" both became <name>-6ct58987ht; Secret literal a=1 → sec-25khgmg44c.
    assert.equal(kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' } }), '6ct58987ht');
    assert.equal(kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k1' } }), '6ct58987ht');
    assert.equal(kustomizeHash({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, type: 'Opaque', data: { a: 'MQ==' } }), '25khgmg44c');
    assert.equal(kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }), 'h29d89cmmt');
    assert.equal(kustomizeHash({ kind: 'Deployment', metadata: { name: 'd' } }), undefined);
  });

  test('applyNameSuffixHash renames only marked objects and records the write', () => {
    const plainCm: Resource = { obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }, prov: new Map(), origin: { file: '/k/cm.yaml', layer: stepLayer('resource') } };
    assert.equal(applyNameSuffixHash(plainCm), undefined);
    assert.equal((plainCm.obj.metadata as JsonObject).name, 'cm');

    // A plain resource's public needs-hash annotation is ignored by kustomize v5.5.0 (checked with kubectl).
    const optIn: JsonObject = { kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'kustomize.config.k8s.io/needs-hash': 'true' } } };
    assert.equal(needsNameSuffixHash(optIn), false);

    const g = generate('ConfigMap', { name: 'cm', literals: ['a=1'] }, '/k/kustomization.yaml', undefined, () => undefined, (f) => (f.in === 'entry' ? { start: 10, end: 40 } : undefined));
    const r = g.resource!;
    assert.equal(needsNameSuffixHash(r.obj), true);
    const rename = applyNameSuffixHash(r);
    assert.deepEqual(rename, {
      kind: 'ConfigMap', group: '', version: 'v1', oldName: 'cm', newName: 'cm-h29d89cmmt', namespace: undefined,
      provenance: { file: '/k/kustomization.yaml', span: { start: 10, end: 40 }, kustomization: '/k/kustomization.yaml', layer: stepLayer('hash') },
    });
    assert.deepEqual(r.prov.get('/metadata/name')?.map((p) => [layerLabel(p.layer), p.value]), [['configMapGenerator', 'cm'], ['hash', 'cm-h29d89cmmt']]);
    removeBuildAnnotations(r);
    assert.equal((r.obj.metadata as JsonObject).annotations, undefined);

    const marked: JsonObject = { kind: 'Secret', metadata: { name: 's' } };
    setNeedsNameSuffixHash(marked, true);
    assert.deepEqual(marked.metadata, { name: 's', annotations: { [NEEDS_HASH_ANNOTATION]: 'enabled' } });
    setNeedsNameSuffixHash(marked, false);
    assert.deepEqual(marked.metadata, { name: 's' });
  });

  test('runs last: data and type changed by patches count, labels, annotations, namespace and prefixes do not', () => {
    // kubectl: configMapGenerator cm (k=v) + a patch adding data.added=1 + commonLabels/commonAnnotations →
    // cm-f96g8cgk9b; secretGenerator s (k=v) + a JSON patch setting type kubernetes.io/tls → s-8d9db26b4d.
    const cm = generate('ConfigMap', { name: 'cm', literals: ['k=v'] }, '/k/kustomization.yaml', undefined, () => undefined).resource!;
    const s = generate('Secret', { name: 's', literals: ['k=v'] }, '/k/kustomization.yaml', undefined, () => undefined).resource!;
    (cm.obj.data as JsonObject).added = '1';
    for (const r of [cm, s]) {
      const meta = r.obj.metadata as JsonObject;
      meta.labels = { team: 'x' };
      (meta.annotations as JsonObject).note = 'z';
    }
    s.obj.type = 'kubernetes.io/tls';
    applyNameSuffixHash(cm);
    applyNameSuffixHash(s);
    assert.equal((cm.obj.metadata as JsonObject).name, 'cm-f96g8cgk9b');
    assert.equal((s.obj.metadata as JsonObject).name, 's-8d9db26b4d');
    // kubectl: namePrefix p-, nameSuffix -s, namespace team → p-cm-s-bdg947hgcc, the suffix of a plain k=v.
    const p = generate('ConfigMap', { name: 'cm', literals: ['k=v'] }, '/k/kustomization.yaml', undefined, () => undefined).resource!;
    Object.assign(p.obj.metadata as JsonObject, { name: 'p-cm-s', namespace: 'team' });
    assert.equal(applyNameSuffixHash(p)?.newName, 'p-cm-s-bdg947hgcc');
  });
});

describe('generate', () => {
  const kfile = '/repo/app/kustomization.yaml';
  const spans = new Map<string, { start: number; end: number }>();
  let next = 0;
  const spanOf = (f: GeneratorField) => {
    const key = JSON.stringify(f);
    if (!spans.has(key)) spans.set(key, { start: next, end: (next += 10) });
    return spans.get(key);
  };
  const files: Files = {
    'app/a.env': 'ONE=1\n# c\n  TWO=2\n',
    'app/conf/app.properties': 'x=y\n',
    'app/logo.png': bytes([0x89, 0x50, 0x4e, 0x47, 0xff]),
  };
  const readFile: ReadFile = (p) => files[p.slice('/repo/'.length)];

  test('records where every value came from', () => {
    spans.clear();
    const spec: GeneratorSpec = {
      name: 'app',
      namespace: 'web',
      envs: ['a.env'],
      literals: ['lit=v', 'a/b="q"'],
      files: ['conf/app.properties', 'logo=logo.png'],
      options: { labels: { own: 'l' }, immutable: true },
    };
    const { resource, issues } = generate('ConfigMap', spec, kfile, { labels: { global: 'g', own: 'ignored' }, annotations: { note: 'n' } }, readFile, spanOf);
    assert.deepEqual(issues, []);
    const r = resource!;
    assert.deepEqual(r.obj, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app', namespace: 'web', labels: { global: 'g', own: 'l' }, annotations: { note: 'n', [NEEDS_HASH_ANNOTATION]: 'enabled' } },
      data: { ONE: '1', TWO: '2', 'a/b': 'q', 'app.properties': 'x=y\n', lit: 'v' },
      binaryData: { logo: 'iVBOR/8=' },
      immutable: true,
    });
    const at = (p: string) => r.prov.get(p)?.map(({ file, span, layer, kustomization }) => ({ file, span, layer, kustomization }));
    const k = (f: GeneratorField) => [{ file: kfile, span: spanOf(f), layer: stepLayer('configMapGenerator'), kustomization: kfile }];
    assert.deepEqual(at('/metadata/name'), k({ in: 'name' }));
    assert.deepEqual(at('/metadata/namespace'), k({ in: 'namespace' }));
    assert.deepEqual(at('/apiVersion'), k({ in: 'entry' }));
    assert.deepEqual(at('/data/lit'), k({ in: 'literals', index: 0 }));
    assert.deepEqual(at(pointer('data', 'a/b')), k({ in: 'literals', index: 1 }));
    assert.equal(pointer('data', 'a/b'), '/data/a~1b');
    assert.deepEqual(at('/metadata/labels/own'), k({ in: 'options', field: 'labels', key: 'own' }));
    assert.deepEqual(at('/metadata/labels/global'), k({ in: 'generatorOptions', field: 'labels', key: 'global' }));
    assert.deepEqual(at('/metadata/annotations/note'), k({ in: 'generatorOptions', field: 'annotations', key: 'note' }));
    assert.deepEqual(at('/immutable'), k({ in: 'options', field: 'immutable' }));
    // env lines: the env file, span of the key=value text; files: the file itself
    assert.deepEqual(at('/data/ONE'), [{ file: '/repo/app/a.env', span: { start: 0, end: 5 }, layer: stepLayer('configMapGenerator'), kustomization: kfile }]);
    assert.deepEqual(at('/data/TWO'), [{ file: '/repo/app/a.env', span: { start: 12, end: 17 }, layer: stepLayer('configMapGenerator'), kustomization: kfile }]);
    assert.deepEqual(at('/data/app.properties'), [{ file: '/repo/app/conf/app.properties', span: undefined, layer: stepLayer('configMapGenerator'), kustomization: kfile }]);
    assert.deepEqual(at('/binaryData/logo'), [{ file: '/repo/app/logo.png', span: undefined, layer: stepLayer('configMapGenerator'), kustomization: kfile }]);
    assert.equal(r.prov.get('/data/ONE')![0].value, '1');
    assert.equal(r.prov.has(pointer('metadata', 'annotations', NEEDS_HASH_ANNOTATION)), false);
    assert.deepEqual(r.origin, { file: kfile, span: spanOf({ in: 'entry' }), layer: stepLayer('configMapGenerator'), kustomization: kfile });
  });

  test('Secret: base64 data, default type from the entry, explicit type from its field', () => {
    spans.clear();
    const s = generate('Secret', { name: 's', literals: ['a=1'], files: ['logo.png'] }, kfile, undefined, readFile, spanOf).resource!;
    assert.deepEqual(s.obj.data, { a: 'MQ==', 'logo.png': 'iVBOR/8=' });
    assert.equal(s.obj.type, 'Opaque');
    assert.deepEqual(s.prov.get('/type')?.[0].span, spanOf({ in: 'entry' }));
    assert.equal(layerLabel(s.prov.get('/data/a')![0].layer), 'secretGenerator');
    const t = generate('Secret', { name: 't', type: 'kubernetes.io/tls' }, kfile, undefined, readFile, spanOf).resource!;
    assert.deepEqual(t.prov.get('/type')?.[0].span, spanOf({ in: 'type' }));
    assert.deepEqual(t.obj.data, {});
    assert.deepEqual(t.prov.get('/data')?.[0].value, {});
  });

  test('text read as a string works; U+FFFD in it (a binary file decoded as text) is a warning', () => {
    const r = generate('ConfigMap', { name: 'c', files: ['t.txt', 'b.bin'] }, kfile, undefined, (p) => (p.endsWith('t.txt') ? 'text' : 'a\ufffdb'));
    assert.deepEqual(r.resource!.obj.data, { 't.txt': 'text', 'b.bin': 'a\ufffdb' });
    assert.deepEqual(r.issues.map((i) => [i.severity, i.file]), [['warning', kfile]]);
  });

  test('errors carry the span of the failing entry', () => {
    spans.clear();
    const r = generate('ConfigMap', { name: 'c', literals: ['ok=1', 'bad'], files: ['missing.txt'] }, kfile, undefined, readFile, spanOf);
    assert.deepEqual(r.issues.map((i) => [i.severity, i.code, i.span, i.message]), [
      ['error', 'kustomize-build-error', spanOf({ in: 'literals', index: 1 }), 'invalid literal source bad, expected key=value'],
      ['error', 'kustomize-build-error', spanOf({ in: 'files', index: 0 }), "file '/repo/app/missing.txt' not found (or not a file)"],
    ]);
    assert.deepEqual(r.resource!.obj.data, { ok: '1' });
    assert.deepEqual(generate('Secret', {}, kfile, undefined, readFile).issues.map((i) => i.message), ['a secret must have a name']);
    assert.equal(generate('Secret', {}, kfile, undefined, readFile).resource, undefined);
  });

  test('remote file sources are reported, not fetched', () => {
    const r = generate('ConfigMap', { name: 'c', files: ['k=https://example.com/x.txt'] }, kfile, undefined, () => assert.fail('no read'));
    assert.deepEqual(r.issues.map((i) => [i.severity, i.code]), [['warning', 'unsupported-kustomize-feature']]);
  });
});

describe('env files', () => {
  test('kustomize rules: BOM, CRLF, leading space, comments, first =, no unquoting, bare keys', () => {
    const text = '\ufeffA=1\r\n  B = 2 \n#c\n\n\t# d\nC="q"\nD=x=y\nE\n=skipped\nexport F=1\nG=\t\tv';
    const { pairs, error } = parseEnvFile(text);
    assert.equal(error, undefined);
    assert.deepEqual(pairs.map((p) => [p.key, p.value]), [['A', '1'], ['B ', ' 2 '], ['C', '"q"'], ['D', 'x=y'], ['E', ''], ['export F', '1'], ['G', '\t\tv']]);
    assert.deepEqual(pairs.map((p) => text.slice(p.span.start, p.span.end)), ['A=1', 'B = 2 ', 'C="q"', 'D=x=y', 'E', 'export F=1', 'G=\t\tv']);
    assert.match(parseEnvFile('A=\ud800\n').error ?? '', /invalid utf8/);
  });
});

describe('YAML re-read quirks', () => {
  test('keys go-yaml v3 reads as non-strings', () => {
    for (const k of ['9', '-1', '+1', '0x1F', '0o17', '0777', '089', '1_000', '1e3', '1.5', '.5', '.inf', '-.Inf', '.nan', 'null', 'Null', '~', 'true', 'FALSE', '2001-12-14', '2001-12-14T21:59:43.10-05:00', '<<']) {
      assert.equal(yamlReadsAsNonString(k), true, k);
    }
    for (const k of ['yes', 'on', 'y', 'No', '1a', '0x', '.5x', '-', '+x', 'a', 'a.b', 'tRue', '1.2.3', '2001-1-1x']) {
      assert.equal(yamlReadsAsNonString(k), false, k);
    }
  });
  test('characters kustomize cannot print', () => {
    for (const c of ['\u007f', '\u0080', '\u0084', '\u0086', '\u009f', '\ufffe', '\uffff']) assert.equal(hasYamlForbiddenChar(`a${c}`), true, c.charCodeAt(0).toString(16));
    for (const c of ['\u0000', '\u0001', '\u001f', '\u0085', '\u00a0', '\u2028', '\ufffd', '😀']) assert.equal(hasYamlForbiddenChar(`a${c}`), false, c.charCodeAt(0).toString(16));
  });
});

describe('applyGeneratorBehavior', () => {
  const base = '/repo/base/kustomization.yaml';
  const overlay = '/repo/overlay/kustomization.yaml';
  const gen = (kfile: string, spec: GeneratorSpec) => generate('ConfigMap', spec, kfile, undefined, () => undefined, (f) => (f.in === 'literals' ? { start: 100 + f.index, end: 101 + f.index } : undefined)).resource!;

  test('behavior names: anything but merge or replace is create', () => {
    assert.equal(generatorBehavior('merge'), 'merge');
    assert.equal(generatorBehavior('replace'), 'replace');
    assert.equal(generatorBehavior('bogus'), 'create');
    assert.equal(generatorBehavior(undefined), 'create');
  });

  test('create', () => {
    const g = gen(overlay, { name: 'cm', literals: ['a=1'] });
    assert.equal(applyGeneratorBehavior(undefined, g, undefined).resource, g);
    assert.match(applyGeneratorBehavior(g, g, 'create').issues[0].message, /already exists; behavior must be merge or replace/);
    assert.match(applyGeneratorBehavior(undefined, g, 'merge').issues[0].message, /does not exist; cannot merge/);
    assert.equal(applyGeneratorBehavior(undefined, g, 'replace').issues[0].file, overlay);
  });

  test('merge keeps the existing identity and stacks overridden values', () => {
    const old = gen(base, { name: 'cm', literals: ['a=1', 'b=2'], options: { labels: { l: 'base' } } });
    (old.obj.metadata as JsonObject).name = 'b-cm'; // a base prefix
    pushWrite(old.prov, '/metadata/name', { file: base, layer: stepLayer('namePrefix'), value: 'b-cm' });
    const snapshot = structuredClone(old.obj);
    const g = gen(overlay, { name: 'cm', literals: ['b=3', 'c=4'], options: { labels: { l: 'ov' } } });
    const m = applyGeneratorBehavior(old, g, 'merge').resource!;
    assert.deepEqual(old.obj, snapshot);
    assert.deepEqual(m.obj.data, { a: '1', b: '3', c: '4' });
    assert.equal((m.obj.metadata as JsonObject).name, 'b-cm');
    assert.deepEqual(m.prov.get('/metadata/name')?.map((p) => layerLabel(p.layer)), ['configMapGenerator', 'namePrefix']);
    assert.deepEqual(m.prov.get('/data/a')?.map((p) => [p.kustomization, p.value]), [[base, '1']]);
    assert.deepEqual(m.prov.get('/data/b')?.map((p) => [p.kustomization, p.value, p.span?.start]), [[base, '2', 101], [overlay, '3', 100]]);
    assert.deepEqual(m.prov.get('/data/c')?.map((p) => [p.kustomization, p.value]), [[overlay, '4']]);
    assert.deepEqual(m.prov.get('/metadata/labels/l')?.map((p) => p.value), ['base', 'ov']);
    assert.equal(m.origin, old.origin);
    assert.equal(needsNameSuffixHash(m.obj), true);
  });

  test('replace drops the existing data and its provenance', () => {
    const old = gen(base, { name: 'cm', literals: ['a=1', 'b=2'] });
    const g = gen(overlay, { name: 'cm', literals: ['b=3'], options: { disableNameSuffixHash: true } });
    const m = applyGeneratorBehavior(old, g, 'replace').resource!;
    assert.deepEqual(m.obj.data, { b: '3' });
    assert.equal(m.prov.has('/data/a'), false);
    assert.deepEqual(m.prov.get('/data/b')?.map((p) => p.value), ['2', '3']);
    assert.equal(needsNameSuffixHash(m.obj), false); // either side disabling the hash disables it
  });
});
