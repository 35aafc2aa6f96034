// `npm run test:e2e`: the extension-host suite (out/test/suite, from test/vscode/suite) inside code-server, offline,
// against the packaged flux-fleet.vsix: code-server installs the .vsix, and the installed folder is the
// extensionDevelopmentPath of the run, so the code under test is exactly what the .vsix ships.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENABLE_SMOKE_TEST_DRIVER, ROOT, ensureCodeServer, launchBrowser, payloadUrl, secondsSince, startCodeServer } from './codeServer';
import { prepareWorkspace, reportSuite, type ExtraCheck } from './workspace';

const SUITE_TIMEOUT_MS = Number(process.env.FLUX_FLEET_E2E_TIMEOUT_MS ?? 180_000);

async function main(): Promise<number> {
  const tests = path.join(ROOT, 'out/test/suite/index.js');
  if (!fs.existsSync(tests)) throw new Error(`${tests} does not exist: run \`node scripts/e2e/build-tests.mjs\` first.`);

  let t = Date.now();
  const install = ensureCodeServer();
  console.log(`e2e: code-server ready to run (install/cache check ${secondsSince(t)})`);

  const ws = prepareWorkspace('flux-fleet-e2e-', true);
  t = Date.now();
  const cs = await startCodeServer(install, { env: { FLUX_FLEET_TEST_RESULT: ws.resultFile } });
  console.log(`e2e: code-server ${cs.url} up with the .vsix installed in ${secondsSince(t)}`);

  const browser = await launchBrowser();
  const consoleLines: string[] = [];
  try {
    t = Date.now();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    await page.addInitScript(ENABLE_SMOKE_TEST_DRIVER);
    await page.goto(payloadUrl(cs, ws.workspaceFile, cs.extensionDir, tests), { timeout: 120_000 }); // a loaded machine serves the first load slowly
    const deadline = Date.now() + SUITE_TIMEOUT_MS;
    while (!fs.existsSync(ws.resultFile)) {
      if (Date.now() > deadline) {
        console.error(`e2e: no result after ${SUITE_TIMEOUT_MS} ms. Browser console:\n${consoleLines.slice(-60).join('\n')}`);
        console.error(`code-server log (${cs.log}):\n${fs.readFileSync(cs.log, 'utf8').split('\n').slice(-60).join('\n')}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // The file is written in one call; give a reader a complete JSON even if it raced the write.
    if (fs.existsSync(ws.resultFile)) await waitForJson(ws.resultFile);
    console.log(`e2e: suite finished in ${secondsSince(t)} (page load + extension host + tests)`);
    if (process.env.FLUX_FLEET_E2E_VERBOSE) console.log(consoleLines.join('\n'));
    return reportSuite(ws.resultFile, { expectedExtensionPath: cs.extensionDir, extra: [packageHygiene(cs.extensionDir)] });
  } finally {
    await browser.close();
    await cs.stop();
    ws.dispose();
  }
}

/** What code-server unpacked from the .vsix: the bundles, the icon the manifest names, no sources or dependencies. */
function packageHygiene(extensionDir: string): ExtraCheck {
  const title = 'the installed .vsix holds the bundles and the icon, and no sources, tests or node_modules';
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { main?: string; icon?: string };
  const problems: string[] = [];
  for (const f of [manifest.main, 'dist/server.js', 'dist/cli.js', 'dist/cliMain.js', manifest.icon]) {
    if (!f) problems.push(`package.json has no ${f === undefined ? '"main"/"icon"' : f}`);
    else if (!fs.existsSync(path.join(extensionDir, f))) problems.push(`${f} is missing`);
  }
  for (const d of ['node_modules', 'client', 'server', 'test', 'out', 'scripts', '.e2e-cache', 'images/hover.png']) {
    if (fs.existsSync(path.join(extensionDir, d))) problems.push(`${d} is packaged`);
  }
  return { title, error: problems.length ? problems.join('; ') : undefined };
}

async function waitForJson(file: string): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      JSON.parse(fs.readFileSync(file, 'utf8'));
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
