// `npm run test:vscode`: the extension-host suite (out/test/suite, from test/vscode/suite) in desktop VS Code through
// @vscode/test-electron, with this repository as the extension under development. It downloads VS Code into the
// e2e cache ($FLUX_FLEET_E2E_CACHE/vscode-test): where that download is impossible it fails (it never skips); on
// these machines `npm run test:e2e` runs the same suite in code-server instead.
// FLUX_FLEET_VSCODE_EXECUTABLE=/path/to/code uses an installed VS Code instead of downloading one.
// On a Linux machine without a display, run it under `xvfb-run -a`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT, cacheDir } from './codeServer';
import { prepareWorkspace, reportSuite } from './workspace';

async function main(): Promise<number> {
  const tests = path.join(ROOT, 'out/test/suite/index.js');
  if (!fs.existsSync(tests)) throw new Error(`${tests} does not exist: run \`node scripts/e2e/build-tests.mjs\` first.`);
  if (!fs.existsSync(path.join(ROOT, 'dist/client.js'))) throw new Error('dist/client.js does not exist: run `npm run build` first.');
  const ws = prepareWorkspace('flux-fleet-vscode-', true);
  const profile = path.join(ws.dir, '.vscode-profile');
  try {
    try {
      await runTests({
        vscodeExecutablePath: process.env.FLUX_FLEET_VSCODE_EXECUTABLE || undefined,
        version: process.env.FLUX_FLEET_VSCODE_VERSION ?? 'stable',
        cachePath: path.join(cacheDir(), 'vscode-test'),
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: tests,
        launchArgs: [
          ws.workspaceFile,
          '--disable-extensions', // other extensions; the one under development and the built-in YAML language stay
          '--disable-telemetry',
          `--user-data-dir=${path.join(profile, 'user')}`,
          `--extensions-dir=${path.join(profile, 'ext')}`,
        ],
        extensionTestsEnv: { FLUX_FLEET_TEST_RESULT: ws.resultFile, FLUX_FLEET_EXPECT_EXTENSION_PATH: ROOT },
      });
    } catch (e) {
      // A failing test makes VS Code exit non-zero: the result file says which. No result file: VS Code never ran.
      if (!fs.existsSync(ws.resultFile)) throw e;
    }
    return reportSuite(ws.resultFile, { expectedExtensionPath: ROOT });
  } finally {
    ws.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`test:vscode: ${e instanceof Error ? e.message : String(e)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
