/**
 * The HTML report as a browser shows it: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens it with the network cut off, and the page must render whole from itself.
 * Skipped, saying so, where no Chromium is installed.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { renderHtml } from '../../../src/report/html';
import { failed, origin } from '../../support/report-samples';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const found = existsSync(executablePath);
if (!found) {
  console.warn(
    `Skipping the HTML report in Chromium: no Chromium at ${executablePath} (apt-get install chromium).`,
  );
}

(found ? describe : describe.skip)('the HTML report in Chromium', () => {
  jest.setTimeout(60_000);

  it('renders self-contained: no requests, no script ran, hostile names shown as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(failed, origin));
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(`file://${file}`);
      expect(requests).toEqual([`file://${file}`]);
      expect(dialogs).toEqual([]);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('p.overview').innerText()).toContain(
        'FAILED at dbo.<script>alert(1)</script> batch #17 (120000, 130000]',
      );
      // Each phase bar is drawn with a width: the failed table's copy runs to the end of the timeline.
      const bars = page.locator('.timeline tr').nth(1).locator('.bar');
      expect(await bars.count()).toBe(2);
      const lane = (await page.locator('.timeline .lane').nth(1).boundingBox())!;
      const copy = (await bars.nth(1).boundingBox())!;
      expect(copy.width).toBeGreaterThan(0);
      expect(Math.abs(copy.x + copy.width - (lane.x + lane.width))).toBeLessThan(2);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
