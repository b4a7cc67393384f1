// <ls-devtools> in a real page (Chromium, persistent profile, OPFS): every panel renders, and a
// screenshot of the open devtools is not blank.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, uniqueStoreId, type Harness } from './multi-tab-harness.ts';
import { pngStats } from './png-colors.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

describe('ls-devtools in a page', () => {
  it('renders each panel with the store\'s data, and its screenshot is not blank', async () => {
    const page = await h.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.baseUrl}/test/pages/devtools.html?store=${uniqueStoreId('devtools')}`);
    await page.waitForFunction('window.__ready === true', undefined, { timeout: 30_000 });
    const devtools = page.locator('ls-devtools');
    await devtools.locator('td', { hasText: 'Walk the dog' }).waitFor();
    const panels: Record<string, string> = { eventlog: 'v1.TodoCompleted', sync: 'opfs', queries: 'live queries', sql: 'read-only' };
    for (const [panel, expected] of Object.entries(panels)) {
      await devtools.locator('button[role="tab"]', { hasText: panel }).click();
      await page.waitForFunction(([p, e]) => {
        const root = document.querySelector('ls-devtools')?.shadowRoot;
        const section = root?.querySelector(`section[data-panel="${p}"]`);
        return section !== null && section !== undefined && (section.textContent?.includes(e!) === true || section.innerHTML.includes(e!));
      }, [panel, expected], { timeout: 10_000 });
    }
    await devtools.locator('button[role="tab"]', { hasText: 'data' }).click();
    const shot = pngStats(await devtools.screenshot());
    assert.ok(shot.width > 200 && shot.height > 50, `devtools is ${shot.width}×${shot.height}`);
    assert.ok(shot.colors > 20, `the screenshot has ${shot.colors} colours: blank?`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
