// The test module VS Code loads in its extension host (`extensionTestsPath`): desktop VS Code through
// @vscode/test-electron, or code-server through the smoke-test-driver payload (scripts/e2e/test-e2e.ts).
// The extension host can exit 0 even when a test fails, so the outcome is also written to a JSON file that the
// runner checks: $FLUX_FLEET_TEST_RESULT, else flux-fleet-vscode-result.json in the parent folder of the first
// workspace folder's parent (the temporary copy of the fixtures).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  tests: TestOutcome[];
  vscodeVersion: string;
  appName: string;
  extensionPath?: string;
  /** FLUX_FLEET_EXPECT_EXTENSION_PATH as the extension host saw it: proves the runner's environment reached it. */
  expectedExtensionPath?: string;
  finishedAt: string;
}

/** The file names of the bundled test files, next to this one (`*.test.js`). */
function testFiles(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(__dirname, f));
}

export function resultFile(): string {
  if (process.env.FLUX_FLEET_TEST_RESULT) return process.env.FLUX_FLEET_TEST_RESULT;
  const first = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!first) throw new Error('No workspace folder is open and FLUX_FLEET_TEST_RESULT is not set: nowhere to write the result.');
  return path.join(path.dirname(path.dirname(first)), 'flux-fleet-vscode-result.json');
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const f of testFiles()) mocha.addFile(f);
  const tests: TestOutcome[] = [];
  const out = resultFile();
  fs.rmSync(out, { force: true });

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((n) => resolve(n));
      runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
      runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: String(err?.stack ?? err) }));
    } catch (e) {
      reject(e);
    }
  });

  const result: SuiteResult = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    tests,
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
    extensionPath: vscode.extensions.getExtension('flux-fleet.flux-fleet')?.extensionPath,
    expectedExtensionPath: process.env.FLUX_FLEET_EXPECT_EXTENSION_PATH,
    finishedAt: new Date().toISOString(),
  };
  // A hook failure counts in `failures` without a test event: keep the two in agreement.
  if (failures > result.failed) result.failed = failures;
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  if (result.failed > 0 || result.passed === 0) throw new Error(`${result.failed} failed, ${result.passed} passed (${out})`);
}
