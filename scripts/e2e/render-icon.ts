// Renders images/icon.svg to images/icon.png (128x128, transparent corners) with Debian's chromium:
// `node --import tsx scripts/e2e/render-icon.ts`. The PNG is committed; run this after editing the SVG.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, launchBrowser } from './codeServer';

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(ROOT, 'images/icon.svg'), 'utf8');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(ROOT, 'images/icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
  const png = fs.readFileSync(path.join(ROOT, 'images/icon.png'));
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  if (w !== 128 || h !== 128) throw new Error(`images/icon.png is ${w}x${h}, expected 128x128`);
  console.log(`images/icon.png: ${w}x${h}, ${png.length} bytes`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
