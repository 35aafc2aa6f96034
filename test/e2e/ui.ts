// `npm run test:ui`: Flux Fleet through the VS Code UI, as a person uses it. code-server (real VS Code) with the
// packaged .vsix installed, driven by Debian's chromium through playwright-core, on a copy of the fixture fleet.
// Each step waits for what a person would see (a hover, a tab, a Problems entry, a menu), never for a fixed time,
// and saves a screenshot to images/ (or $FLUX_FLEET_SCREENSHOT_DIR): pictures the README can show.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT, ensureCodeServer, launchBrowser, secondsSince, startCodeServer } from '../../scripts/e2e/codeServer';
import { prepareWorkspace, type TestWorkspace } from '../../scripts/e2e/workspace';
import { commitEverything } from '../helpers/gitHistory';

const SHOTS = path.resolve(ROOT, process.env.FLUX_FLEET_SCREENSHOT_DIR ?? 'images');
const FAILURES = path.join(ROOT, 'test-results');
const STEP_TIMEOUT_MS = 30_000;

/** Retries `attempt` (which throws while the UI is not there yet) until it passes or `timeoutMs` has gone. */
async function eventually<T>(what: string, attempt: () => Promise<T>, timeoutMs = STEP_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
    await new Promise((r) => setTimeout(r, 100)); // a polling interval, not a wait for something
  }
}

/** An Explorer row: its accessible name is the file or folder name, its aria-level the depth (1 = workspace folder). */
function explorerRow(page: Page, name: string, level: number): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-level="${level}"][aria-label="${name}"]`);
}

async function openFromExplorer(page: Page, segments: string[]): Promise<void> {
  for (let i = 0; i < segments.length; i++) {
    const row = explorerRow(page, segments[i], i + 1);
    await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const isFolder = i < segments.length - 1;
    if (isFolder && (await row.getAttribute('aria-expanded')) === 'true') continue;
    await row.click();
    if (!isFolder) continue;
    // A click that lands while the tree re-renders (decorations, new diagnostics) may only select the row:
    // then expand the selected row from the keyboard, as a person would, before giving up.
    const expanded = explorerRow(page, segments[i], i + 1).and(page.locator('[aria-expanded="true"]'));
    for (let attempt = 0; ; attempt++) {
      try {
        await expanded.waitFor({ timeout: attempt < 2 ? 3000 : STEP_TIMEOUT_MS });
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        await row.click();
        await page.keyboard.press('ArrowRight');
      }
    }
  }
}

async function activeTabLabel(page: Page): Promise<string> {
  return (await page.locator('.editor-group-container.active .tab.active').first().getAttribute('data-resource-name', { timeout: 2000 })) ?? '';
}

/** The absolute path of the active editor's file, from its breadcrumbs (the file item's aria-label: `path[ • N problems…]`). */
async function activeFile(page: Page): Promise<string> {
  const label = await page.locator('.editor-group-container.active .breadcrumbs-control .file.monaco-breadcrumb-item .monaco-icon-label').first().getAttribute('aria-label', { timeout: 2000 });
  return (label ?? '').split(' • ')[0];
}

/** Waits until the active editor shows `file`. */
async function waitForActiveFile(page: Page, file: string): Promise<void> {
  await waitForActiveFileWithin(page, file, STEP_TIMEOUT_MS);
}

/** Like waitForActiveFile, within `timeoutMs`. */
async function waitForActiveFileWithin(page: Page, file: string, timeoutMs: number): Promise<void> {
  await eventually(`the active editor to show ${file}`, async () => {
    const [tab, shown] = [await activeTabLabel(page), await activeFile(page)];
    if (tab !== path.basename(file) || shown !== file) throw new Error(`active tab ${tab}, file ${shown}`);
  }, timeoutMs);
}

/** The rendered span of the active editor that holds `text` (Monaco renders a line as token spans). */
function editorToken(page: Page, text: string): Locator {
  return page.locator('.editor-group-container.active .monaco-editor .view-lines span span').filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }).first();
}

/**
 * Runs a command by its title from the Command Palette (F1), as a person would. A command that asks with a quick input
 * of its own (`opens`: its title) keeps the widget open: then that title is what shows it ran.
 */
async function runCommand(page: Page, title: string, opens?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const item = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
  await eventually(`the command "${title}"`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 3000 });
    await input.fill(`>${title}`);
    await item.waitFor({ timeout: 3000 });
    await item.click({ timeout: 3000 });
    const closed = page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 3000 });
    // (a slow command closes the palette first and asks later: the caller waits for its input then)
    await (opens ? Promise.any([closed, page.locator('.quick-input-widget .quick-input-title').filter({ hasText: opens }).waitFor({ timeout: 3000 })]) : closed);
  });
}

async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  return path.relative(ROOT, file);
}

/**
 * Add tenant's fixture (test/fixtures/tenants: a platform whose tenants have their own service accounts, and an empty
 * folder for the new tenant's repository) added to the open workspace as a person adds folders: the workspace file
 * gains them, and VS Code and the server take them in. Its platform is copied as `tenancy-platform`: the fleet
 * fixture has a `platform/clusters/prod` too, and the picker names clusters by repository and folder. Returns the
 * platform folder and the new tenant's folder.
 */
function addTenantsFixture(ws: TestWorkspace): { platform: string; gamma: string } {
  const dir = path.join(path.dirname(ws.workspaceFile), 'tenants');
  fs.cpSync(path.join(ROOT, 'test/fixtures/tenants'), dir, { recursive: true });
  fs.renameSync(path.join(dir, 'platform'), path.join(dir, 'tenancy-platform'));
  fs.mkdirSync(path.join(dir, 'team-gamma'), { recursive: true });
  const config = JSON.parse(fs.readFileSync(ws.workspaceFile, 'utf8')) as { folders: Array<{ name: string; path: string }> };
  config.folders.push(...['tenancy-platform', 'team-alpha', 'team-beta', 'shared-bases', 'team-gamma'].map((f) => ({ name: f, path: `tenants/${f}` })));
  fs.writeFileSync(ws.workspaceFile, JSON.stringify(config, null, 2));
  return { platform: path.join(dir, 'tenancy-platform'), gamma: path.join(dir, 'team-gamma') };
}

/** The quick input (an input box, a picker, the simple file dialog) once its title holds `title`. */
async function quickInputTitled(page: Page, title: string | RegExp, timeoutMs = STEP_TIMEOUT_MS): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  await eventually(`the quick input "${title}"`, async () => {
    const text = (await widget.locator('.quick-input-title').innerText({ timeout: 2000 })).trim();
    if (!(typeof title === 'string' ? text.includes(title) : title.test(text))) throw new Error(`the quick input shows "${text}"`);
  }, timeoutMs);
  return widget;
}

/** Throws while the quick input shows `title`. */
async function quickInputTitledGone(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (!(await widget.isVisible())) return;
  const text = await widget.locator('.quick-input-title').innerText({ timeout: 1000 }).catch(() => '');
  if (text.includes(title)) throw new Error(`still "${text}"`);
}

/** Types an answer into the quick input titled `title` and accepts it, until that input is gone (or shows another title). */
async function answerQuickInput(page: Page, title: string, value: string): Promise<void> {
  const widget = await quickInputTitled(page, title);
  const input = widget.locator('input').first();
  await input.fill(value);
  await eventually(`"${title}" answered`, async () => {
    if ((await input.inputValue({ timeout: 2000 })) !== value) await input.fill(value);
    await page.keyboard.press('Enter');
    await eventually(`"${title}" gone`, () => quickInputTitledGone(page, title), 3000);
  });
}

interface Step {
  name: string;
  run(page: Page, ws: TestWorkspace): Promise<string | void>;
}

const steps: Step[] = [
  {
    name: 'open platform/tenants/tenant-a/sync.yaml from the Explorer',
    async run(page, ws) {
      await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
      await openFromExplorer(page, ['platform', 'tenants', 'tenant-a', 'sync.yaml']);
      await waitForActiveFile(page, path.join(ws.folders.platform, 'tenants/tenant-a/sync.yaml'));
      await editorToken(page, './deploy').waitFor({ timeout: STEP_TIMEOUT_MS });
    },
  },
  {
    name: 'hover ./deploy: where the Flux spec.path leads',
    async run(page) {
      const token = editorToken(page, './deploy');
      const hover = page.locator('.monaco-hover:visible');
      // The server answers once it has indexed the fleet: hover again until the answer is there.
      const text = await eventually('a hover naming tenant-a/deploy/kustomization.yaml', async () => {
        await page.mouse.move(5, 5);
        await token.hover();
        await hover.filter({ hasText: 'tenant-a/deploy/kustomization.yaml' }).waitFor({ timeout: 3000 });
        return hover.innerText();
      }, 60_000);
      if (!text.includes('tenant-a')) throw new Error(`hover says ${JSON.stringify(text)}`);
      return shot(page, 'hover.png');
    },
  },
  {
    name: "Ctrl+click ./deploy opens tenant-a's deploy/kustomization.yaml (another repository)",
    async run(page, ws) {
      const source = path.join(ws.folders.platform, 'tenants/tenant-a/sync.yaml');
      const target = path.join(ws.folders.tenantA, 'deploy/kustomization.yaml');
      // The hover from the step before may still cover the token (or be fading out, which makes Playwright see the
      // page itself on top): dismiss it, move the pointer away, and click again until the definition opens. On a slow
      // machine the definition may open after an attempt gave up waiting: then the target is already active, and the
      // next attempt only waits for its breadcrumbs instead of looking for ./deploy in an editor that no longer shows it.
      await eventually(`Ctrl+click to open ${target}`, async () => {
        const tab = await activeTabLabel(page).catch(() => '');
        if (tab === path.basename(target)) return waitForActiveFileWithin(page, target, 10_000);
        if (tab !== path.basename(source)) {
          await page.keyboard.press('Escape');
          await openFromExplorer(page, ['platform', 'tenants', 'tenant-a', 'sync.yaml']);
          await waitForActiveFileWithin(page, source, 10_000);
        }
        await page.keyboard.press('Escape');
        await page.mouse.move(5, 5);
        await editorToken(page, './deploy').click({ modifiers: ['Control'], timeout: 5000 }).catch(async (e: unknown) => {
          const lines = await page.locator('.editor-group-container.active .view-line').evaluateAll((ls) => ls.map((l) => l.innerHTML).filter((h) => h.includes('deploy')));
          throw new Error(`active tab ${JSON.stringify(tab)}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; the lines with deploy: ${lines.join(' | ')}`);
        });
        await waitForActiveFileWithin(page, target, 10_000);
      }, 90_000);
      await waitForActiveFile(page, target);
      await editorToken(page, 'release.yaml').waitFor({ timeout: STEP_TIMEOUT_MS });
      return shot(page, 'cross-repo-definition.png');
    },
  },
  {
    name: 'code lens on tenant-a/deploy/release.yaml: "Deployed by 1 Flux Kustomization", click peeks the chain',
    async run(page, ws) {
      await openFromExplorer(page, ['tenant-a', 'deploy', 'release.yaml']);
      await waitForActiveFile(page, path.join(ws.folders.tenantA, 'deploy/release.yaml'));
      const lens = page.locator('.editor-group-container.active .codelens-decoration a').filter({ hasText: 'Deployed by 1 Flux Kustomization' });
      await lens.waitFor({ timeout: STEP_TIMEOUT_MS });
      await lens.click();
      const peek = page.locator('.editor-group-container.active .peekview-widget');
      await peek.waitFor({ timeout: STEP_TIMEOUT_MS });
      await eventually('the peek to show sync.yaml', async () => {
        const t = await peek.innerText();
        if (!t.includes('sync.yaml')) throw new Error(`peek shows ${JSON.stringify(t.slice(0, 200))}`);
      });
      const file = await shot(page, 'code-lens.png');
      await page.keyboard.press('Escape');
      return file;
    },
  },
  {
    name: 'Fleet Impact: an unsaved typo in a prune: true spec.path; the status bar item opens the view (clusters → contexts → objects)',
    async run(page, ws) {
      // The folders opened so far push impact-fleet's rows below the fold (the list renders only what it shows):
      // fold them, then the other workspace folders.
      await runCommand(page, 'Collapse Folders in Explorer');
      for (const name of ['platform', 'tenant-a', 'tenant-b', 'broken-platform']) {
        const row = explorerRow(page, name, 1).and(page.locator('[aria-expanded="true"]'));
        await eventually(`folding ${name}`, async () => {
          if ((await row.count()) === 0) return;
          await row.click({ timeout: 3000 });
          await row.waitFor({ state: 'detached', timeout: 3000 });
        });
      }
      await openFromExplorer(page, ['impact-fleet', 'clusters', 'prod', 'apps.yaml']);
      await waitForActiveFile(page, path.join(ws.folders.impact!, 'clusters/prod/apps.yaml'));
      // Type at the end of `./apps/prod`: `./apps/prodx` does not exist, and the Kustomization prunes.
      await eventually('the typo in spec.path', async () => {
        if (await editorToken(page, './apps/prodx').isVisible()) return;
        await page.keyboard.press('Escape');
        await editorToken(page, './apps/prod').click({ timeout: 3000 });
        await page.keyboard.press('End');
        await page.keyboard.type('x');
        await editorToken(page, './apps/prodx').waitFor({ timeout: 3000 });
      });
      const status = page.locator('.statusbar-item').filter({ hasText: '2 deletions' });
      await status.waitFor({ timeout: STEP_TIMEOUT_MS });
      const text = (await status.innerText()).trim();
      if (!text.includes('1 cluster, 3 objects, 2 deletions')) throw new Error(`the status bar item reads ${JSON.stringify(text)}`);
      const pane = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Fleet Impact' }) });
      const row = (label: string) => pane.locator('.monaco-list-row').filter({ hasText: label });
      await eventually('the Fleet Impact view with the deleted Namespace', async () => {
        await status.click({ timeout: 3000 });
        await row('flux-system/apps').first().waitFor({ timeout: 3000 });
      });
      // Room for the view: fold the workspace's folders, and widen the side bar (drag its sash) for the descriptions.
      const foldersHeader = page.locator('.pane-header').filter({ hasText: '(Workspace)' }).first();
      await eventually('the folders folded', async () => {
        if ((await foldersHeader.getAttribute('class', { timeout: 3000 }))?.split(' ').includes('expanded') === false) return;
        await foldersHeader.click({ timeout: 3000 });
        throw new Error(`still expanded: ${await foldersHeader.evaluate((e) => e.outerHTML.slice(0, 300))}`);
      }, 10_000).catch(async (e: Error) => {
        const headers = await page.locator('.pane-header').evaluateAll((es) => es.map((x) => x.outerHTML.slice(0, 200)));
        throw new Error(`${e.message}; headers: ${headers.join(' | ')}`);
      });
      for (const sash of await page.locator('.monaco-sash.vertical').all()) {
        const box = await sash.boundingBox().catch(() => null);
        if (!box || box.x < 250 || box.x > 450 || box.height < 300) continue;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(640, box.y + box.height / 2, { steps: 8 });
        await page.mouse.up();
        break;
      }
      await row('Namespace shop').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      // A field's row opens the file at the line that caused it.
      await row('/spec/path').first().click();
      await waitForActiveFile(page, path.join(ws.folders.impact!, 'clusters/prod/apps.yaml'));
      await page.locator('.statusbar-item').filter({ hasText: /Ln 8, Col/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      return shot(page, 'fleet-impact.png');
    },
  },
  {
    name: 'Fleet Impact: "Show diff" on a context opens the diff editor of its rendered output (HEAD ↔ working tree); undo',
    async run(page, ws) {
      const pane = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Fleet Impact' }) });
      const context = pane.locator('.monaco-list-row').filter({ hasText: '−2' }).first();
      await eventually('the diff editor', async () => {
        await context.hover({ timeout: 3000 });
        await context.locator('.action-label[aria-label^="Show Diff"]').click({ timeout: 3000 });
        await page.locator('.editor-group-container.active .monaco-diff-editor').waitFor({ timeout: 3000 });
      });
      // The diff editor reveals the first change, which may scroll the Namespace at the top out of the rendered lines
      // (Monaco renders only what it shows): go to the top of the baseline side first, as a reader would.
      const originalLines = page.locator('.editor-group-container.active .monaco-diff-editor .editor.original .view-lines');
      await eventually('the baseline side to show the Namespace', async () => {
        await originalLines.click({ timeout: 3000 });
        await page.keyboard.press('Control+Home');
        const original = await originalLines.innerText({ timeout: 3000 });
        if (!/kind: Namespace/.test(original.replace(/\u00a0/g, ' '))) throw new Error(`the baseline side reads ${JSON.stringify(original.slice(0, 200))}`);
      });
      const file = await shot(page, 'fleet-impact-diff.png');
      // Leave the fleet as it was for the steps after: close the diff, undo the typo (never saved).
      await page.keyboard.press('Control+W');
      await waitForActiveFile(page, path.join(ws.folders.impact!, 'clusters/prod/apps.yaml'));
      await eventually('the typo undone', async () => {
        if (await editorToken(page, './apps/prod').isVisible()) return;
        await page.locator('.editor-group-container.active .monaco-editor .view-lines').click({ timeout: 3000 });
        await page.keyboard.press('Control+Z');
        await editorToken(page, './apps/prod').waitFor({ timeout: 3000 });
      });
      await page.locator('.statusbar-item').filter({ hasText: 'no changes' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      return file;
    },
  },
  {
    name: 'the Problems view lists path-not-found for the mistyped spec.path',
    async run(page) {
      await page.keyboard.press('Control+Shift+M');
      // The list is virtual (rows below the fold are not rendered): filter it, as a person would.
      const filter = page.locator('.panel').getByPlaceholder('Filter (e.g. text');
      await filter.fill('path-not-found');
      const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: "'./apps/prdo' does not exist" });
      await row.waitFor({ timeout: STEP_TIMEOUT_MS });
      const text = await row.innerText();
      if (!text.includes('path-not-found')) throw new Error(`the Problems entry reads ${JSON.stringify(text)}`);
      return shot(page, 'problems.png');
    },
  },
  {
    name: "quick-fix from the light bulb (Ctrl+.): \"Change to './apps/prod'\" fixes the path",
    async run(page, ws) {
      // A click on the entry opens the file at the problem; a click on the value puts the cursor on it.
      await page.locator('.markers-panel .monaco-list-row').filter({ hasText: "'./apps/prdo' does not exist" }).click();
      await waitForActiveFile(page, path.join(ws.folders.broken, 'clusters/prod/path-not-found.yaml'));
      const value = editorToken(page, './apps/prdo');
      await value.click();
      const fix = page.locator('.action-widget .monaco-list-row').filter({ hasText: "Change to './apps/prod'" });
      await eventually('the quick-fix menu', async () => {
        await page.keyboard.press('Control+.');
        await fix.waitFor({ timeout: 3000 });
      });
      const file = await shot(page, 'quick-fix.png');
      await fix.click();
      await editorToken(page, './apps/prod').waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.markers-panel .monaco-list-row').filter({ hasText: "'./apps/prdo' does not exist" }).waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
      await page.keyboard.press('Control+S');
      return file;
    },
  },
  {
    name: 'the Fleet view (activity bar): cluster roots → sources → Kustomizations, HelmReleases and Apps, problem counts; a click opens a release; the context menu of a cluster',
    async run(page) {
      await page.locator('.activitybar .action-item a[aria-label^="Flux Fleet"]').first().click();
      const row = (text: string) => page.locator('.monaco-list-row').filter({ hasText: text });
      // A click on the label opens where the node is written; the twistie expands it.
      const expand = async (what: string, node: ReturnType<typeof row>, shows: ReturnType<typeof row>) =>
        eventually(what, async () => {
          if ((await node.getAttribute('aria-expanded')) !== 'true') await node.locator('.monaco-tl-twistie').click();
          await shows.waitFor({ timeout: 3000 });
        });
      await row('Kustomization flux-system/flux-system').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      // Room for the descriptions (chart, catalog, problem counts): the side bar as wide as half the window.
      const sash = await page.locator('.part.sidebar').boundingBox();
      if (sash && sash.width < 600) {
        const x = sash.x + sash.width + 1;
        await page.mouse.move(x, sash.y + sash.height / 2);
        await page.mouse.down();
        await page.mouse.move(680, sash.y + sash.height / 2, { steps: 8 });
        await page.mouse.up();
      }
      // The platform fixture's cluster, its infra (two HelmReleases) and its tenants (an App), as a person browsing would.
      const cluster = row('Kustomization flux-system/flux-system').filter({ hasText: 'gotk-sync' }).first();
      await expand('the cluster expanded', cluster, row('Kustomization flux-system/infra').first());
      await expand('infra expanded', row('Kustomization flux-system/infra').first(), row('HelmRelease ingress-nginx/ingress-nginx').first());
      const tenants = row('Kustomization flux-system/tenants').first();
      await expand('tenants expanded', tenants, row('App org-acme/hello-world').first());
      await eventually('a problem count in the view', async () => {
        await page.locator('.monaco-list-row .label-description').filter({ hasText: /\d+ problems?/ }).first().waitFor({ timeout: 3000 });
      });
      // A click on a HelmRelease opens its document at its name.
      await row('HelmRelease ingress-nginx/ingress-nginx').first().click();
      await page.locator('.tabs-container .tab').filter({ hasText: 'release.yaml' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const file = await shot(page, 'fleet-view.png');
      // The context menu: the operations on a cluster (Add tenant is offered on roots and on Kustomizations that deploy tenants).
      const entry = page.locator('.context-view .action-label').filter({ hasText: 'Add Tenant…' });
      await eventually('the context menu of the cluster', async () => {
        await page.keyboard.press('Escape');
        await cluster.click({ button: 'right' });
        await entry.waitFor({ timeout: 3000 });
      });
      const menu = (await page.locator('.context-view').last().innerText()).replace(/\s+/g, ' ');
      for (const title of ['Add Tenant…', 'Add App…', 'Move…', 'Rename…', 'Show Impact', 'Reveal in Explorer']) if (!menu.includes(title)) throw new Error(`the context menu has no ${title}: ${menu}`);
      await shot(page, 'fleet-view-menu.png');
      await page.keyboard.press('Escape');
      return file;
    },
  },
  {
    name: 'Add Tenant…: the plan in VS Code\'s refactor preview, applied, and the new tenant\'s files written',
    async run(page, ws) {
      const { platform, gamma } = addTenantsFixture(ws);
      // The fixture's platform is in the Explorer once VS Code has read the workspace file again. The step before
      // left the Fleet view in the side bar, and the Explorer's list renders only the rows it shows: back to the
      // Explorer, every folder folded.
      await runCommand(page, 'View: Show Explorer');
      // The Fleet Impact steps left that pane open and the workspace's folders pane folded: the other way round.
      const header = (text: string) => page.locator('.pane-header').filter({ hasText: text }).first();
      await eventually('the workspace folders shown', async () => {
        if ((await header('Fleet Impact').getAttribute('aria-expanded', { timeout: 2000 })) === 'true') await header('Fleet Impact').click({ timeout: 2000 });
        if ((await header('(Workspace)').getAttribute('aria-expanded', { timeout: 2000 })) !== 'true') await header('(Workspace)').click({ timeout: 2000 });
        if ((await header('(Workspace)').getAttribute('aria-expanded', { timeout: 2000 })) !== 'true') throw new Error('the folders pane is folded');
      });
      await runCommand(page, 'Collapse Folders in Explorer');
      await explorerRow(page, 'tenancy-platform', 1).waitFor({ timeout: 60_000 });
      // The command asks the server for the fleet's clusters and tenants first (it starts the extension if need be),
      // then for the name.
      await runCommand(page, 'Flux Fleet: Add Tenant…', 'Add tenant: name');
      await quickInputTitled(page, 'Add tenant: name', 180_000);
      await answerQuickInput(page, 'Add tenant: name', 'gamma');
      await answerQuickInput(page, 'Add tenant gamma: repository URL', 'https://github.com/tenancy-example/team-gamma');
      // The folder picker (VS Code's simple file dialog in the browser): the folder's path typed, then accepted.
      await answerQuickInput(page, "the repository's local folder", gamma + '/');
      // The clusters: the tenancy platform's prod.
      const clusters = await quickInputTitled(page, 'the clusters it goes to');
      const prod = clusters.locator('.monaco-list-row').filter({ hasText: 'tenancy-platform' }).first();
      await eventually('the tenants platform\'s prod cluster picked', async () => {
        const rows = await clusters.locator('.monaco-list-row').allInnerTexts();
        const checkbox = prod.locator('input[type="checkbox"], .monaco-checkbox, .quick-input-list-checkbox').first();
        await prod.waitFor({ timeout: 2000 }).catch(() => {
          throw new Error(`no such cluster among ${JSON.stringify(rows)}`);
        });
        if (!(await checkbox.isChecked().catch(() => false)) && (await checkbox.getAttribute('aria-checked').catch(() => null)) !== 'true') await checkbox.click({ timeout: 2000 });
        if (!(await checkbox.isChecked().catch(() => false)) && (await checkbox.getAttribute('aria-checked').catch(() => null)) !== 'true') throw new Error('not checked yet');
      });
      // Accepted with the picker's OK button (Enter in the list toggles a checkbox).
      await eventually('the clusters accepted', async () => {
        if (await clusters.isVisible()) await clusters.locator('.monaco-button').filter({ hasText: /^OK$/ }).first().click({ timeout: 2000 });
        await quickInputTitledGone(page, 'the clusters it goes to');
      });
      // The server checks the plan on the whole fleet, then VS Code's refactor preview lists what it writes.
      const panel = page.locator('.bulk-edit-panel');
      const apply = panel.locator('.monaco-button').filter({ hasText: /^Apply$/ }).first();
      await apply.waitFor({ timeout: 120_000 });
      const row = (text: string) => panel.locator('.monaco-list-row').filter({ hasText: text }).first();
      // The list renders only the rows it shows: scroll it from the top until the row is there.
      const list = panel.locator('.monaco-list').first();
      const reveal = async (text: string) => {
        await list.hover();
        await page.mouse.wheel(0, -10_000);
        for (let i = 0; i < 40 && !(await row(text).isVisible()); i++) {
          await list.hover();
          await page.mouse.wheel(0, 60);
        }
        await row(text).waitFor({ timeout: 2000 });
      };
      await eventually('the preview lists the tenant\'s files', async () => {
        await reveal('kustomization.yaml');
        await reveal('sync.yaml');
      });
      // The plan's changes come ticked (only an empty "Review" insert asks for confirmation, which opens the
      // preview): Apply writes them without ticking each one.
      await eventually("the plan's changes ticked", async () => {
        await reveal('sync.yaml');
        const box = row('sync.yaml').locator('.edit-checkbox').first();
        const state = await box.getAttribute('aria-checked', { timeout: 2000 });
        if (state !== 'true') throw new Error(`sync.yaml's checkbox is ${state}`);
      });
      // The picture starts at the top of the list (the first files of the plan).
      await panel.locator('.monaco-list').first().hover();
      await page.mouse.wheel(0, -10_000);
      await row('team-gamma').waitFor({ timeout: STEP_TIMEOUT_MS });
      const file = await shot(page, 'add-tenant-preview.png');
      // The mouse left on the list shows a row's tooltip, which can lie over Apply and take its click (CI, once): it
      // leaves the list, and the tooltip goes, first.
      await page.mouse.move(5, 5);
      await page.locator('.context-view .hover-contents').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      await apply.click();
      const written = ['tenants/gamma/kustomization.yaml', 'tenants/gamma/namespace.yaml', 'tenants/gamma/rbac.yaml', 'tenants/gamma/sync.yaml'].map((f) => path.join(platform, f)).concat(path.join(gamma, 'deploy/kustomization.yaml'));
      await eventually('the new tenant\'s files on disk', async () => {
        const missing = written.filter((f) => !fs.existsSync(f));
        if (missing.length) throw new Error(`missing ${missing.map((f) => path.relative(path.dirname(platform), f)).join(', ')}`);
      }, 60_000);
      // The edit of the tenants' list is in its (dirty) editor: saved as a person would.
      await runCommand(page, 'File: Save All');
      await eventually('the tenants list saved with gamma', async () => {
        if (!fs.readFileSync(path.join(platform, 'tenants/kustomization.yaml'), 'utf8').includes('- gamma')) throw new Error('no gamma entry on disk yet');
      });
      return file;
    },
  },
];

async function main(): Promise<number> {
  let t = Date.now();
  const install = ensureCodeServer();
  console.log(`ui: code-server ready to run (install/cache check ${secondsSince(t)})`);
  const ws = prepareWorkspace('flux-fleet-ui-', false, true);
  // The Fleet Impact steps compare with HEAD: the impact fixture's history, made here.
  await commitEverything(ws.folders.impact!);
  t = Date.now();
  const cs = await startCodeServer(install);
  console.log(`ui: code-server ${cs.url} up with the .vsix installed in ${secondsSince(t)}`);
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    t = Date.now();
    // A loaded machine may take long to serve the workbench's first load: wait for it rather than fail the run.
    await page.goto(`${cs.url}/?workspace=${encodeURIComponent(ws.workspaceFile)}`, { timeout: 120_000 });
    // FLUX_FLEET_UI_STEPS=text: only the steps whose name holds it (to remake one screenshot).
    const only = process.env.FLUX_FLEET_UI_STEPS;
    for (const [i, step] of steps.entries()) {
      if (only && !step.name.includes(only)) continue;
      if (failed) {
        console.log(`  skip ${step.name}`);
        continue;
      }
      const started = Date.now();
      try {
        const shotFile = await step.run(page, ws);
        passed++;
        console.log(`  ok   ${step.name} (${secondsSince(started)})${shotFile ? ` → ${shotFile}` : ''}`);
      } catch (e) {
        failed++;
        fs.mkdirSync(FAILURES, { recursive: true });
        const failShot = path.join(FAILURES, `ui-step-${i + 1}.png`);
        await page.screenshot({ path: failShot }).catch(() => undefined);
        console.log(`  FAIL ${step.name} (${secondsSince(started)}): ${e instanceof Error ? e.message : String(e)}\n       screenshot: ${path.relative(ROOT, failShot)}`);
      }
    }
    // The save of the quick-fix reached the disk.
    if (!failed && !only) {
      const saved = path.join(ws.folders.broken, 'clusters/prod/path-not-found.yaml');
      await eventually('the saved quick-fix on disk', async () => {
        if (!fs.readFileSync(saved, 'utf8').includes('path: ./apps/prod\n')) throw new Error(`${saved} still has the typo`);
      }, 10_000).then(
        () => passed++,
        (e: Error) => {
          failed++;
          console.log(`  FAIL the saved file: ${e.message}`);
        },
      );
    }
    console.log(`ui: scenario took ${secondsSince(t)} (page load included)`);
  } finally {
    await browser.close();
    await cs.stop();
    ws.dispose();
  }
  const skipped = steps.length + 1 - passed - failed;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
