// Bundles the extension-host test suite (test/vscode/suite/*.ts) into out/test/suite/*.js, the form VS Code loads
// as `extensionTestsPath` (CommonJS; `vscode` comes from the extension host, mocha from node_modules).
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = path.join(root, 'test/vscode/suite');
const outDir = path.join(root, 'out/test/suite');
const entryPoints = fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(srcDir, f));
if (!entryPoints.some((f) => f.endsWith('index.ts'))) throw new Error(`${srcDir}/index.ts is missing`);

fs.rmSync(outDir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
