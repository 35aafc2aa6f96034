// Bundles the extension client, the language server and the CLI into dist/ (CommonJS, Node 20), after writing the
// catalogue schemas' validators (server/src/core/schemas/precompiled.ts) to schemas/validators/.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

/** Compiles every catalogue schema (standalone.ts, bundled into a temporary folder and run) into schemas/validators/. */
async function writeValidators() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-validators-'));
  let modules;
  try {
    const outfile = path.join(tmp, 'standalone.cjs');
    // Without the validators being replaced: compiling must not read them.
    const noPrecompiled = { name: 'no-precompiled', setup: (b) => b.onLoad({ filter: /[\\/]schemas[\\/]precompiled\.ts$/ }, () => ({ contents: 'export function precompiledValidator() { return undefined; }', loader: 'ts' })) };
    await build({ ...common, sourcemap: false, entryPoints: ['server/src/core/schemas/standalone.ts'], outfile, plugins: [noPrecompiled] });
    const { validatorModules, validatorPath } = createRequire(outfile)(outfile);
    modules = [...validatorModules()].map(([file, code]) => [path.join('schemas', validatorPath(file)), code]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.rmSync('schemas/validators', { recursive: true, force: true });
  for (const [file, code] of modules) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, code);
  }
}

await writeValidators();
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  // The `flux-fleet` command is the launcher (node's options: server/src/nodeOptions.ts); it loads the CLI's bundle.
  build({ ...common, entryPoints: ['server/src/cliLauncher.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cliMain.js'] }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cliMain.js' }),
]);
