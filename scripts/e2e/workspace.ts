// A throw-away copy of the fixtures, opened as a multi-root workspace by the editor tests, so that quick-fixes and
// saves never touch test/fixtures. Layout (mirrors test/fixtures, so the .flux-fleet.yaml mappings still resolve):
//   <dir>/fleet/{platform,tenant-a,tenant-b}   <dir>/broken/{platform,tenant}   <dir>/values/{platform,tenant}
//   <dir>/impact-editor/fleet (the Fleet Impact scenarios make it a Git repository)   <dir>/fleet-tree/{hub,shop}
//   <dir>/flux-fleet.code-workspace
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface TestWorkspace {
  dir: string;
  workspaceFile: string;
  /** Where test/vscode/suite/index.ts writes its outcome (also its fallback when no env var reaches it). */
  resultFile: string;
  /** The three workspace folders, by name. */
  folders: { platform: string; tenantA: string; broken: string; impact?: string };
  dispose(): void;
}

/**
 * `withValues`: also the values, locks, real-shapes, fleet-tree and add-app fixtures (ten more folders), for the extension-host suite's
 * scenarios. `withImpact`: also test/fixtures/impact-editor/fleet (the Fleet Impact scenarios; not yet a Git repository).
 */
export function prepareWorkspace(prefix = 'flux-fleet-e2e-', withValues = false, withImpact = withValues): TestWorkspace {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), prefix));
  for (const name of ['fleet', 'broken', ...(withValues ? ['values', 'locks', 'real-shapes', 'tenants', 'fleet-tree', 'add-app'] : []), ...(withImpact ? ['impact-editor'] : [])]) fs.cpSync(path.join(ROOT, 'test/fixtures', name), path.join(dir, name), { recursive: true });
  // Add tenant (test/vscode/suite/addTenant.test.ts) writes the new tenant's repository into this empty folder.
  if (withValues) fs.mkdirSync(path.join(dir, 'tenants/team-gamma'));
  const workspaceFile = path.join(dir, 'flux-fleet.code-workspace');
  fs.writeFileSync(
    workspaceFile,
    JSON.stringify(
      {
        folders: [
          { name: 'platform', path: 'fleet/platform' },
          { name: 'tenant-a', path: 'fleet/tenant-a' },
          // platform's .flux-fleet.yaml maps ../tenant-b: a repository's own mappings stay inside the workspace folders
          { name: 'tenant-b', path: 'fleet/tenant-b' },
          { name: 'broken-platform', path: 'broken/platform' },
          ...(withValues
            ? [
                { name: 'values-platform', path: 'values/platform' },
                { name: 'values-tenant', path: 'values/tenant' },
                { name: 'locks-platform', path: 'locks/platform' },
                { name: 'locks-tenant-a', path: 'locks/tenant-a' },
                { name: 'locks-tenant-b', path: 'locks/tenant-b' },
                { name: 'shapes-fleet', path: 'real-shapes/fleet' },
                { name: 'shapes-apps', path: 'real-shapes/apps' },
                ...['platform', 'team-alpha', 'team-beta', 'shared-bases', 'team-gamma'].map((f) => ({ name: `tenants-${f}`, path: `tenants/${f}` })),
                // The Fleet view's releases, tenants and clusters (test/vscode/suite/fleetView.test.ts).
                { name: 'tree-hub', path: 'fleet-tree/hub' },
                { name: 'tree-shop', path: 'fleet-tree/shop' },
                // Add app asks for the base's required values (test/vscode/suite/addApp.test.ts).
                { name: 'add-app-platform', path: 'add-app/platform' },
              ]
            : []),
          ...(withImpact ? [{ name: 'impact-fleet', path: 'impact-editor/fleet' }] : []),
        ],
        settings: {},
      },
      null,
      2,
    ),
  );
  return {
    dir,
    workspaceFile,
    resultFile: path.join(dir, 'flux-fleet-vscode-result.json'),
    folders: { platform: path.join(dir, 'fleet/platform'), tenantA: path.join(dir, 'fleet/tenant-a'), broken: path.join(dir, 'broken/platform'), ...(withImpact ? { impact: path.join(dir, 'impact-editor/fleet') } : {}) },
    dispose: () => {
      if (!process.env.FLUX_FLEET_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SuiteResultFile {
  passed: number;
  failed: number;
  tests: Array<{ title: string; state: 'passed' | 'failed'; durationMs: number; error?: string }>;
  vscodeVersion: string;
  appName: string;
  extensionPath?: string;
  expectedExtensionPath?: string;
}

/** Prints the outcome the test module wrote, ending with the `N passed, N failed` line; returns the exit code. */
export interface ExtraCheck {
  title: string;
  /** Undefined when the check passed. */
  error?: string;
}

export function reportSuite(resultFile: string, expect: { expectedExtensionPath?: string; extra?: ExtraCheck[] } = {}): number {
  const extra = expect.extra ?? [];
  for (const c of extra) console.log(`  ${c.error ? 'FAIL' : 'ok  '} ${c.title}${c.error ? `: ${c.error}` : ''}`);
  const extraPassed = extra.filter((c) => !c.error).length;
  const extraFailed = extra.length - extraPassed;
  if (!fs.existsSync(resultFile)) {
    console.error(`No result file at ${resultFile}: the test module never finished.`);
    console.log(`${extraPassed} passed, ${extraFailed + 1} failed`);
    return 1;
  }
  const r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResultFile;
  console.log(`${r.appName} ${r.vscodeVersion}, extension from ${r.extensionPath}`);
  for (const t of r.tests) {
    console.log(`  ${t.state === 'passed' ? 'ok  ' : 'FAIL'} ${t.title} (${t.durationMs} ms)`);
    if (t.error) console.log(t.error.split('\n').map((l) => `         ${l}`).join('\n'));
  }
  let failed = r.failed + extraFailed;
  if (expect.expectedExtensionPath && r.expectedExtensionPath !== expect.expectedExtensionPath) {
    // Without the variable the suite cannot check which build it ran: count that as a failure.
    console.log(`  FAIL the extension host did not receive FLUX_FLEET_EXPECT_EXTENSION_PATH (got ${JSON.stringify(r.expectedExtensionPath)})`);
    failed += 1;
  }
  console.log(`${r.passed + extraPassed} passed, ${failed} failed`);
  return failed === 0 && r.passed > 0 ? 0 : 1;
}
