// The TodoMVC demo (demo/index.html) driven as a user would: typing, clicking, double-clicking,
// in real Chromium with a persistent profile (real OPFS), with a live sync server running.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, uniqueStoreId } from './multi-tab-harness.ts';
import { add, counts, item, openDemo, shows, startDemoEnv, type DemoEnv } from './demo-driver.ts';
import { pngStats } from './png-colors.ts';

let env: DemoEnv;
before(async () => {
  env = await startDemoEnv();
});
after(async () => {
  await env.close();
});

describe('the TodoMVC demo', () => {
  it('adds a todo typed into the field on Enter, counts it, and ignores blank input', async () => {
    const page = await openDemo(env, uniqueStoreId('add'));
    assert.equal(await page.locator('.main').isVisible(), false);
    await add(page, 'buy milk');
    await shows(page, ['buy milk']);
    await counts(page, '1 item left');
    assert.equal(await page.locator('.new-todo').inputValue(), '');
    await add(page, 'walk the dog');
    await add(page, '   ');
    await shows(page, ['buy milk', 'walk the dog']);
    await counts(page, '2 items left');
    assert.equal(await page.locator('.footer').isVisible(), true);
    await page.close();
  });

  it('toggles a todo complete and back with its checkbox', async () => {
    const page = await openDemo(env, uniqueStoreId('toggle'));
    await add(page, 'a');
    await add(page, 'b');
    await shows(page, ['a', 'b']);
    await item(page, 'a').locator('.toggle').check();
    await eventually(async () => (await item(page, 'a').getAttribute('data-completed')) !== null, 'a is marked completed');
    await counts(page, '1 item left');
    await item(page, 'a').locator('.toggle').uncheck();
    await eventually(async () => (await item(page, 'a').getAttribute('data-completed')) === null, 'a is active again');
    await counts(page, '2 items left');
    await page.close();
  });

  it('marks every todo complete with toggle-all, and active again', async () => {
    const page = await openDemo(env, uniqueStoreId('all'));
    for (const t of ['a', 'b', 'c']) await add(page, t);
    await shows(page, ['a', 'b', 'c']);
    await page.locator('.toggle-all + label').click();
    await counts(page, '0 items left');
    assert.equal(await page.locator('.todo-list li[data-completed]').count(), 3);
    assert.equal(await page.locator('#toggle-all').isChecked(), true);
    await page.locator('.toggle-all + label').click();
    await counts(page, '3 items left');
    await page.close();
  });

  it('edits a todo on double-click: Enter saves, Escape cancels, empty text deletes', async () => {
    const page = await openDemo(env, uniqueStoreId('edit'));
    await add(page, 'draft');
    await add(page, 'other');
    await shows(page, ['draft', 'other']);
    await item(page, 'draft').locator('label').dblclick();
    const edit = page.locator('.todo-list li.editing .edit');
    assert.equal(await edit.inputValue(), 'draft');
    await edit.fill('final');
    await edit.press('Enter');
    await shows(page, ['final', 'other']);
    await item(page, 'final').locator('label').dblclick();
    await edit.fill('not saved');
    await edit.press('Escape');
    await shows(page, ['final', 'other']);
    assert.equal(await page.locator('.todo-list li.editing').count(), 0);
    await item(page, 'other').locator('label').dblclick();
    await edit.fill('');
    await edit.press('Enter');
    await shows(page, ['final']);
    await page.close();
  });

  it('deletes a todo with its destroy button', async () => {
    const page = await openDemo(env, uniqueStoreId('delete'));
    await add(page, 'keep');
    await add(page, 'drop');
    await shows(page, ['keep', 'drop']);
    await item(page, 'drop').hover();
    await item(page, 'drop').locator('.destroy').click();
    await shows(page, ['keep']);
    await counts(page, '1 item left');
    await page.close();
  });

  it('filters with the All, Active and Completed links', async () => {
    const page = await openDemo(env, uniqueStoreId('filter'));
    for (const t of ['one', 'two', 'three']) await add(page, t);
    await shows(page, ['one', 'two', 'three']);
    await item(page, 'two').locator('.toggle').check();
    await counts(page, '2 items left');
    await page.locator('.filters a', { hasText: 'Active' }).click();
    await shows(page, ['one', 'three']);
    assert.equal(await page.locator('.filters a.selected').textContent(), 'Active');
    await page.locator('.filters a', { hasText: 'Completed' }).click();
    await shows(page, ['two']);
    await page.locator('.filters a', { hasText: 'All' }).click();
    await shows(page, ['one', 'two', 'three']);
    assert.equal(await page.locator('.filters a.selected').textContent(), 'All');
    await page.close();
  });

  it('clears completed todos, offering the button only while there are some', async () => {
    const page = await openDemo(env, uniqueStoreId('clear'));
    await add(page, 'x');
    await add(page, 'y');
    await shows(page, ['x', 'y']);
    assert.equal(await page.locator('.clear-completed').isVisible(), false);
    await item(page, 'x').locator('.toggle').check();
    await eventually(() => page.locator('.clear-completed').isVisible(), 'the clear-completed button shows');
    await page.locator('.clear-completed').click();
    await shows(page, ['y']);
    await eventually(async () => !(await page.locator('.clear-completed').isVisible()), 'the clear-completed button hides');
    await item(page, 'y').hover();
    await item(page, 'y').locator('.destroy').click();
    await eventually(async () => !(await page.locator('.footer').isVisible()) && !(await page.locator('.main').isVisible()), 'list and footer hide when empty');
    await page.close();
  });

  it('shows a todo typed as HTML as plain text and runs none of it', async () => {
    const page = await openDemo(env, uniqueStoreId('inject'));
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await add(page, evil);
    await eventually(async () => (await page.locator('.todo-list li').count()) === 1, 'one todo is listed');
    assert.equal(await page.locator('.todo-list li label').textContent(), evil);
    assert.equal(await page.locator('.todo-list img, .todo-list b').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await page.close();
  });

  it('keeps the todos and their state across a reload', async () => {
    const page = await openDemo(env, uniqueStoreId('reload'));
    await add(page, 'persisted');
    await add(page, 'done');
    await shows(page, ['persisted', 'done']);
    await item(page, 'done').locator('.toggle').check();
    await counts(page, '1 item left');
    await page.evaluate(() => (window as unknown as { __debugLiveStore: Record<string, { flush(): Promise<void> }> }).__debugLiveStore['_']!.flush());
    await page.reload();
    await page.waitForSelector('ls-store[state=ready]', { timeout: 30_000 });
    await shows(page, ['persisted', 'done']);
    await counts(page, '1 item left');
    await page.close();
  });

  it('keeps two tabs in sync through adds, toggles, edits and deletes in either', async () => {
    const storeId = uniqueStoreId('tabs');
    const a = await openDemo(env, storeId);
    const b = await openDemo(env, storeId);
    // One leader for both tabs, persisting to OPFS (not a private in-memory store per tab).
    const statuses = await Promise.all([a, b].map(async (p) => (await p.locator('.status').textContent()) ?? ''));
    assert.ok(statuses.every((s) => s.startsWith('Stored in OPFS')), statuses.join(' | '));
    assert.equal(statuses.filter((s) => s.includes('this tab runs the leader')).length, 1, statuses.join(' | '));
    await add(a, 'from a');
    await shows(b, ['from a']);
    await add(b, 'from b');
    await shows(a, ['from a', 'from b']);
    await item(b, 'from a').locator('.toggle').check();
    await counts(a, '1 item left');
    await item(a, 'from b').locator('label').dblclick();
    await a.locator('.todo-list li.editing .edit').fill('edited in a');
    await a.locator('.todo-list li.editing .edit').press('Enter');
    await shows(b, ['from a', 'edited in a']);
    await item(b, 'from a').hover();
    await item(b, 'from a').locator('.destroy').click();
    await shows(a, ['edited in a']);
    await counts(b, '1 item left');
    await Promise.all([a.close(), b.close()]);
  });

  it('renders to a screenshot that is not blank', async () => {
    const page = await openDemo(env, uniqueStoreId('shot'));
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

  it('serves <ls-devtools> at ?devtools, showing the todos and the eventlog of the page\'s store', async () => {
    const page = await openDemo(env, uniqueStoreId('devtools'), { path: 'demo/?devtools' });
    await add(page, 'seen by devtools');
    const devtools = page.locator('ls-devtools');
    await devtools.locator('td', { hasText: 'seen by devtools' }).first().waitFor({ timeout: 10_000 });
    await devtools.locator('button[role="tab"]', { hasText: 'eventlog' }).click();
    await devtools.locator('td', { hasText: 'v1.TodoCreated' }).first().waitFor({ timeout: 10_000 });
    await page.close();
  });
});
