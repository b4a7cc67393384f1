// The React page (demo/react.html) driven as a user would, beside the TodoMVC page in another
// tab of the same browser profile: both open the same store (id and schema module), so each
// page shows what the other commits. Real Chromium, persistent profile, live sync server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { eventually, uniqueStoreId } from './multi-tab-harness.ts';
import { add, counts, item, openDemo, shows, startDemoEnv, type DemoEnv } from './demo-driver.ts';
import { pngStats } from './png-colors.ts';

// React ships CommonJS only: the harness pre-bundles it (its dev server discovers nothing itself).
const REACT = ['react', 'react/jsx-dev-runtime', 'react-dom/client'];

let env: DemoEnv;
before(async () => {
  env = await startDemoEnv({ optimizeDeps: REACT });
});
after(async () => {
  await env.close();
});

const openReact = (storeId: string): Promise<Page> => openDemo(env, storeId, { path: 'demo/react.html' });
/** What the `<ls-query>` below the app renders from its own template. */
const elementList = (page: Page): Promise<string[]> => page.locator('.element-list li').allTextContents();
const completed = async (page: Page, text: string): Promise<boolean> => (await item(page, text).getAttribute('data-completed')) !== null;
/**
 * Clicks a todo's checkbox in the React page and waits until the list shows the new state.
 * Not Playwright's check(): React puts a controlled checkbox back to its prop right after the
 * change event, and the prop changes only when the commit's new rows arrive a task later, so
 * check() sees the old state and fails.
 */
async function toggle(page: Page, text: string, done: boolean): Promise<void> {
  await item(page, text).locator('.toggle').click();
  await eventually(async () => (await completed(page, text)) === done && (await item(page, text).locator('.toggle').isChecked()) === done, `"${text}" shows ${done ? 'completed' : 'active'}`);
}

describe('the React demo page', () => {
  it('lists a todo typed into it, in React\'s list and in the element-rendered one', async () => {
    const page = await openReact(uniqueStoreId('react-add'));
    assert.equal(await page.locator('.main').isVisible(), false);
    await add(page, 'typed in react');
    await shows(page, ['typed in react']);
    await counts(page, '1 item left');
    assert.equal(await page.locator('.new-todo').inputValue(), '');
    await eventually(async () => JSON.stringify(await elementList(page)) === '["typed in react"]', 'the element-rendered list shows it');
    // React renders the list: no template there, one <li> per row, keyed by id.
    assert.equal(await page.locator('.todo-list template').count(), 0);
    assert.equal(await page.locator('.todo-list li[data-id]').count(), 1);
    await page.close();
  });

  it('shares its todos with the TodoMVC page in another tab: adds and toggles in either show in both', async () => {
    const storeId = uniqueStoreId('react-share');
    const react = await openReact(storeId);
    const todo = await openDemo(env, storeId);
    const statuses = await Promise.all([react, todo].map(async (p) => (await p.locator('.status').textContent()) ?? ''));
    assert.ok(statuses.every((s) => s.startsWith('Stored in OPFS')), statuses.join(' | '));
    assert.equal(statuses.filter((s) => s.includes('this tab runs the leader')).length, 1, `one leader for both pages: ${statuses.join(' | ')}`);

    await add(react, 'from react');
    await shows(todo, ['from react']);
    await item(todo, 'from react').locator('.toggle').check();
    await eventually(() => completed(react, 'from react'), 'the React page shows the todo completed');
    assert.equal(await item(react, 'from react').locator('.toggle').isChecked(), true);
    await counts(react, '0 items left');

    await add(todo, 'from todomvc');
    await shows(react, ['from react', 'from todomvc']);
    await toggle(react, 'from todomvc', true);
    await eventually(() => completed(todo, 'from todomvc'), 'the TodoMVC page shows the todo completed');
    await toggle(react, 'from react', false);
    await counts(todo, '1 item left');
    await item(react, 'from todomvc').hover();
    await item(react, 'from todomvc').locator('.destroy').click();
    await shows(todo, ['from react']);
    await Promise.all([react.close(), todo.close()]);
  });

  it('filters with the All, Active and Completed links, and clears completed todos', async () => {
    const page = await openReact(uniqueStoreId('react-filter'));
    for (const t of ['one', 'two', 'three']) await add(page, t);
    await shows(page, ['one', 'two', 'three']);
    await toggle(page, 'two', true);
    await counts(page, '2 items left');
    await page.locator('.filters a', { hasText: 'Active' }).click();
    await shows(page, ['one', 'three']);
    await page.locator('.filters a', { hasText: 'Completed' }).click();
    await shows(page, ['two']);
    assert.equal(await page.locator('.filters a.selected').textContent(), 'Completed');
    await page.locator('.filters a', { hasText: 'All' }).click();
    await shows(page, ['one', 'two', 'three']);
    await page.locator('.clear-completed').click();
    await shows(page, ['one', 'three']);
    await eventually(async () => !(await page.locator('.clear-completed').isVisible()), 'the clear-completed button hides');
    await page.close();
  });

  it('shows a todo typed as HTML as plain text in both lists and runs none of it', async () => {
    const page = await openReact(uniqueStoreId('react-inject'));
    const evil = '<img src=x onerror=window.__pwned=1><b>bold</b>';
    await add(page, evil);
    await shows(page, [evil]);
    await eventually(async () => JSON.stringify(await elementList(page)) === JSON.stringify([evil]), 'the element-rendered list shows it as text');
    assert.equal(await page.locator('ls-store img, ls-store b').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await page.close();
  });

  it('renders to a screenshot that is not blank', async () => {
    const page = await openReact(uniqueStoreId('react-shot'));
    await add(page, 'look at me');
    await add(page, 'and me');
    await shows(page, ['look at me', 'and me']);
    const blank = pngStats(await (await env.h.context.newPage()).screenshot());
    const shot = pngStats(await page.screenshot({ fullPage: true }));
    assert.ok(shot.width > 0 && shot.height > 0);
    assert.ok(blank.colors <= 2, `an empty page has at most 2 colours (got ${blank.colors})`);
    // Text is anti-aliased, so a rendered page has many colours; a blank or unstyled-white one has 1.
    assert.ok(shot.colors > 50, `the screenshot has ${shot.colors} distinct colours`);
    await page.close();
  });
});
