// `node --import tsx scripts/e2e/corpus-tour.ts [CORPUS_DIR...]`: a person's first minutes with a real fleet, in real
// VS Code (code-server + the packaged .vsix, driven by Debian's chromium). Opens the given folders (default: the d1
// trio of ../shared/corpora, mapped by d1-fleet's own .flux-fleet.yaml) read-only, prints every diagnostic VS Code's
// Problems panel holds, opens a tenant Kustomization whose spec.path holds ${ENVIRONMENT}, hovers the variable and
// saves screenshots to test-results/tour-*.png; then the file's rendered output, the Fleet view, and the Fleet Impact of
// an unsaved typo in its spec.path (undone). TOUR_FILE and TOUR_TOKEN (a regular expression) choose another file
// and token, TOUR_POS (LINE:COLUMN) a place to hover from the keyboard (e.g. a ResourceSet and `tenantName` in `<< inputs.tenantName >>`). A manual check before resolving an issue, not a CI test (the corpora
// are not in a fresh clone).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, ensureCodeServer, launchBrowser, startCodeServer } from './codeServer';

const CORPORA = path.resolve(ROOT, '../shared/corpora');
const folders = process.argv.slice(2).length ? process.argv.slice(2).map((f) => path.resolve(f)) : ['d1-fleet', 'd1-infra', 'd1-apps'].map((f) => path.join(CORPORA, f));
const OUT = path.join(ROOT, 'test-results');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-tour-'));
  const workspaceFile = path.join(dir, 'tour.code-workspace');
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: folders.map((f) => ({ path: f })), settings: {} }));
  const cs = await startCodeServer(ensureCodeServer());
  const browser = await launchBrowser();
  fs.mkdirSync(OUT, { recursive: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(`${cs.url}/?workspace=${encodeURIComponent(workspaceFile)}`, { timeout: 120_000 });
    await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
    // Quick Open the tenant sync file, as a person would (Ctrl+P, type, Enter).
    const target = process.env.TOUR_FILE ?? 'tenants/apps/components/backend/sync.yaml';
    await page.keyboard.press('Control+P');
    await page.keyboard.type(target);
    await page.locator('.quick-input-list .monaco-list-row').first().click({ timeout: 30_000 });
    const token = page.locator('.monaco-editor .view-lines span span').filter({ hasText: new RegExp(process.env.TOUR_TOKEN ?? 'ENVIRONMENT') }).first();
    await token.waitFor({ timeout: 30_000 }).catch(async (e) => {
      await page.screenshot({ path: path.join(OUT, 'tour-failed.png') });
      throw e;
    });
    // Give the background evaluation its time (the Problems panel fills when it is done).
    await page.waitForTimeout(8000);
    await page.keyboard.press('Control+Shift+M');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(OUT, 'tour-problems.png') });
    const problems = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    console.log(`Problems panel: ${problems.length} rows`);
    for (const p of problems) console.log(`  ${p.replace(/\s+/g, ' ')}`);
    if (process.env.TOUR_POS) {
      // Inside a block scalar a whole line is one token: go to LINE:COLUMN and ask for the hover from the keyboard.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type(process.env.TOUR_POS);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
    } else await token.hover();
    const hover = page.locator('.monaco-hover:visible').first();
    await hover.waitFor({ timeout: 30_000 });
    console.log(`hover:\n${(await hover.innerText()).trim()}`);
    await page.screenshot({ path: path.join(OUT, 'tour-hover.png') });
    // The open Kustomization's rendered output (what it deploys, per context), from the command palette.
    await page.keyboard.press('Escape');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F1');
    await page.keyboard.type('Flux Fleet: Show Rendered Output');
    await page.locator('.quick-input-list .monaco-list-row').first().click({ timeout: 30_000 });
    const rendered = page.locator('.tabs-container .tab').filter({ hasText: /rendered/i }).first();
    await rendered.waitFor({ timeout: 60_000 }).then(
      async () => {
        await page.waitForTimeout(1500);
        const lines = await page.locator('.editor-group-container').last().locator('.view-lines .view-line').allInnerTexts();
        console.log(`rendered output (${await rendered.innerText()}), first lines:\n  ${lines.slice(0, 12).join('\n  ')}`);
        await page.screenshot({ path: path.join(OUT, 'tour-rendered.png') });
      },
      () => console.log('rendered output: no document opened'),
    );
    // The Fleet view: its roots, the first one expanded.
    await page.locator('.activitybar .action-item a[aria-label^="Flux Fleet"]').first().click();
    const rows = page.locator('.pane-body .monaco-list-row');
    await rows.first().waitFor({ timeout: 60_000 });
    await rows.first().locator('.monaco-tl-twistie').click().catch(() => undefined);
    await page.waitForTimeout(2000);
    console.log(`Fleet view rows:\n  ${(await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ')).join('\n  ')}`);
    await page.screenshot({ path: path.join(OUT, 'tour-fleet-view.png') });
    if (!process.env.TOUR_FILE) await impactOfATypo(page, target);
  } finally {
    await browser.close();
    await cs.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Fleet Impact of an unsaved typo at the end of the backend's `prune: true` spec.path (line 21 of the d1 file): the
 * status bar's impact item and the Fleet Impact view, then undone (never saved: the corpora stay as they are).
 */
async function impactOfATypo(page: import('playwright-core').Page, target: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(target);
  await page.locator('.quick-input-list .monaco-list-row').first().click({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await page.keyboard.press('Control+G');
  await page.keyboard.type('21');
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.keyboard.type('x');
  const item = page.locator('.statusbar-item').filter({ hasText: /deletion|cluster/ }).first();
  try {
    await item.waitFor({ timeout: 90_000 });
    console.log(`impact status item: ${(await item.innerText()).trim()}`);
    await item.click();
    await page.waitForTimeout(3000);
    const pane = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Fleet Impact' }) });
    console.log(`Fleet Impact rows:\n  ${(await pane.locator('.monaco-list-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ')).join('\n  ')}`);
    await page.screenshot({ path: path.join(OUT, 'tour-impact.png') });
  } catch (e) {
    console.log(`impact: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    await page.screenshot({ path: path.join(OUT, 'tour-impact-failed.png') });
  } finally {
    await page.keyboard.press('Control+P');
    await page.keyboard.type(target);
    await page.locator('.quick-input-list .monaco-list-row').first().click({ timeout: 30_000 });
    await page.keyboard.press('Control+Z');
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
