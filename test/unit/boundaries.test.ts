// Architecture invariants, checked on the sources: the core knows no LSP; nothing runs programs or opens sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const src = path.resolve(__dirname, '../../server/src');
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}
// Either quote: `require("node:child_process")` is a way to a process too.
const importsOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/from (['"])([^'"]+)\1|require\((['"])([^'"]+)\3\)|import\((['"])([^'"]+)\5\)/g)].map((m) => m[2] ?? m[4] ?? m[6]);

test('core and features never import LSP or editor packages', () => {
  for (const f of [...files(path.join(src, 'core')), ...files(path.join(src, 'features'))]) {
    for (const i of importsOf(f)) assert.ok(!/^vscode/.test(i), `${path.relative(src, f)} imports ${i}`);
  }
});

test('the server never runs programs or opens network connections', () => {
  for (const f of files(src)) {
    // The CLI's launcher starts node again, itself (its test: below).
    if (f === path.join(src, 'cliLauncher.ts')) continue;
    for (const i of importsOf(f)) assert.ok(!/^(node:)?(child_process|net|http|https|http2|dgram|tls|worker_threads)$/.test(i), `${path.relative(src, f)} imports ${i}`);
  }
});

// Read on the syntax tree, so no other way to a process passes: a second function of child_process, `spawn` under
// another name, other spawn options (`shell: true` would hand the user's arguments to a shell), a dynamic import or
// require, node's internal bindings.
test('the CLI launcher starts only node itself, on its own file, and opens no connection', () => {
  const file = path.join(src, 'cliLauncher.ts');
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports = new Map<string, string>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) imports.set((st.moduleSpecifier as ts.StringLiteral).text, st.importClause?.getText(sf) ?? '');
  }
  assert.deepEqual([...imports.keys()].sort(), ['./nodeOptions', 'node:child_process', 'node:os']);
  assert.equal(imports.get('node:child_process'), '{ spawn }');
  const spawnCalls: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === 'spawn' && !ts.isImportSpecifier(n.parent)) {
      assert.ok(ts.isCallExpression(n.parent) && n.parent.expression === n, `spawn used other than called: ${n.parent.getText(sf)}`);
      spawnCalls.push(n.parent.getText(sf).replace(/\s+/g, ' '));
    }
    if (ts.isIdentifier(n)) assert.ok(!/^(binding|_linkedBinding|dlopen|createRequire|eval|Function)$/.test(n.text), `cliLauncher.ts uses ${n.text}`);
    if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      assert.equal(n.arguments.map((a) => a.getText(sf)).join(), "'./cliMain.js'", `cliLauncher.ts loads ${n.getText(sf)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  assert.deepEqual(spawnCalls, ["spawn(process.execPath, [...process.execArgv, ...relaunch, __filename, ...process.argv.slice(2)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] })"]);
});

test('only the node file system implementation touches node:fs', () => {
  for (const f of files(path.join(src, 'core'))) {
    if (f.endsWith('nodeFileSystem.ts')) continue;
    for (const i of importsOf(f)) assert.ok(!/^(node:)?fs(\/promises)?$/.test(i), `${path.relative(src, f)} imports ${i}`);
  }
});

test('the LSP layer and the CLI call only the IDE facade (ide/), never core/ or features/ directly', () => {
  const callers = [...files(path.join(src, 'lsp')), path.join(src, 'server.ts'), path.join(src, 'cli.ts')];
  for (const f of callers) {
    for (const i of importsOf(f)) assert.ok(!/(^|\/)(core|features)(\/|$)/.test(i), `${path.relative(src, f)} imports ${i}`);
  }
});

test('nothing runs at import time in the LSP layer: the server starts only from its entry point', () => {
  for (const f of files(path.join(src, 'lsp'))) {
    const text = fs.readFileSync(f, 'utf8');
    assert.ok(!/^(const|let) \w+ = createConnection\(/m.test(text) && !/^connection\./m.test(text), `${path.relative(src, f)} does work at import time`);
  }
});

test('provenance layers are data: no code outside core/layer.ts reads a layer label back', () => {
  // A layer is `{ step, … }`: decisions compare `layer.step` (or ask core/layer.ts); only layerLabel renders one.
  const forbidden: Array<[RegExp, string]> = [
    [/\.layer\s*[!=]==?/, 'compares a layer with =='],
    [/[!=]==?\s*[\w.?!]*\.layer\b(?!\s*\??\.)/, 'compares a layer with =='],
    [/\.layer\??\.(startsWith|endsWith|includes|match|matchAll|search|indexOf|split|slice|replace)\(/, 'reads a layer as a string'],
    [/\.(test|exec|match)\([^)]*\blayer\b/, 'runs a regular expression over a layer'],
    [/layerLabel\((?:[^()]|\([^()]*\))*\)\s*(?:[!=]==?|\.\w+\()/, 'inspects a rendered layer label'],
    [/\.layer\??\.(detail|index)\b/, 'reads a layer\'s display details (only layerLabel does)'],
    [/\$\{[^}]*\.layer\}/, 'interpolates a layer object (render it with layerLabel)'],
    [/(\+\s*[\w.?!]*\.layer\b(?!\s*\??\.))|(\.layer\s*\+)/, 'concatenates a layer object (render it with layerLabel)'],
  ];
  for (const f of files(src)) {
    if (f.endsWith(path.join('core', 'layer.ts'))) continue;
    fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      for (const [re, what] of forbidden) assert.ok(!re.test(line), `${path.relative(src, f)}:${i + 1} ${what}: ${line.trim()}`);
    });
  }
});

test('context identities are values: nothing splits a context key or label back into parts', () => {
  const client = path.resolve(__dirname, '../../client/src');
  for (const f of [...files(src), ...files(client)]) {
    fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      assert.ok(!/split\(\s*(['"`]) > \1\s*\)/.test(line), `${path.relative(src, f)}:${i + 1} splits a context id: ${line.trim()}`);
      assert.ok(!/\b(ctx|context|c)\.id\.(split|startsWith|includes|indexOf|slice)\(/.test(line), `${path.relative(src, f)}:${i + 1} reads a context id as text: ${line.trim()}`);
    });
  }
});

// ---- Derived state lives in the fleet's database (server/src/db/), never in a module ------------------------------

/** Constructors of mutable tables; a Map or Set is allowed at module level only typed Readonly (never mutated). */
const TABLES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'LRUCache', 'LRU']);

/**
 * The module-level mutable state of a source text: every top-level `let`/`var`, and every top-level `const` holding
 * a `new Map/Set/WeakMap/WeakSet/LRUCache` not typed `ReadonlyMap`/`ReadonlySet` (a WeakMap or WeakSet cannot be).
 */
function moduleState(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const unwrap = (e: ts.Expression | undefined): ts.Expression | undefined => {
    while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e))) e = e.expression;
    return e;
  };
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const list = st.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const d of list.declarations) {
      const name = d.name.getText(sf);
      if (!isConst) {
        out.push(`${fileName}:${line(d)} top-level ${list.flags & ts.NodeFlags.Let ? 'let' : 'var'} ${name}`);
        continue;
      }
      const init = unwrap(d.initializer);
      if (!init || !ts.isNewExpression(init) || !TABLES.has(init.expression.getText(sf))) continue;
      const type = d.type?.getText(sf) ?? '';
      if (!/^Readonly(Map|Set)\b/.test(type)) out.push(`${fileName}:${line(d)} top-level mutable ${init.expression.getText(sf)} ${name}`);
    }
  }
  return out;
}

test('the module-state rule catches what it should (planted examples) and nothing else', () => {
  const planted = [
    "import LRUCache from 'lru-cache';",
    'let counter = 0;',
    'var legacy = 1;',
    'const cache = new Map<string, number>();',
    'export const byFleet = new WeakMap<object, number>();',
    'const seen = new Set([1, 2]) as Set<number>;',
    'const lru = new LRUCache({ max: 10 });',
    'const typedButMutable: Map<string, number> = new Map();',
    // allowed: immutable constants, state inside functions and classes
    "const KINDS: ReadonlySet<string> = new Set(['a']);",
    'export const BY_KEY: ReadonlyMap<string, number> = new Map([["a", 1]]);',
    'const LIMIT = 5;',
    'function f() { let x = 0; const m = new Map(); return [x, m]; }',
    'class C { private readonly m = new Map(); }',
  ].join('\n');
  assert.deepEqual(moduleState('planted.ts', planted), [
    'planted.ts:2 top-level let counter',
    'planted.ts:3 top-level var legacy',
    'planted.ts:4 top-level mutable Map cache',
    'planted.ts:5 top-level mutable WeakMap byFleet',
    'planted.ts:6 top-level mutable Set seen',
    'planted.ts:7 top-level mutable LRUCache lru',
    'planted.ts:8 top-level mutable Map typedButMutable',
  ]);
});

test('no module outside server/src/db keeps mutable state at module level (caches live in the fleet database)', () => {
  const found = files(src)
    .filter((f) => !f.startsWith(path.join(src, 'db') + path.sep))
    .flatMap((f) => moduleState(path.relative(src, f), fs.readFileSync(f, 'utf8')));
  assert.deepEqual(found, []);
});
