/**
 * Randomized convergence across browsers: 2 profiles × 2 tabs, a seeded sequence of random
 * commits, offline periods (server down), server restarts, and leader-tab closes and reloads.
 * At the end every tab of both profiles has the identical eventlog and state and every committed
 * event is there exactly once. The seed is printed, and LS_E2E_SEED reruns one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPrngForTesting } from '../../src/core/sync-state-prng.ts';
import { uniqueStoreId } from './multi-tab-harness.ts';
import { converged, startSyncHarness, type SyncHarness, type SyncTab } from './sync-harness.ts';

const STEPS = 24;
let s: SyncHarness;
before(async () => { s = await startSyncHarness(); });
after(async () => { await s.close(); });

describe('randomized sync convergence (browsers)', () => {
  it('ends with identical eventlogs and state in every tab, each committed event once', async () => {
    const seed = Number(process.env.LS_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`# sync-random seed ${seed} (rerun with LS_E2E_SEED=${seed})`);
    const rand = createPrngForTesting(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const storeId = uniqueStoreId('sync-random');
    const tabs: { profile: 0 | 1; tab: SyncTab }[] = [];
    for (const profile of [0, 0, 1, 1] as const) tabs.push({ profile, tab: await s.open(profile, storeId) });
    let committed = 0;
    const why = (step: number) => ` (seed ${seed}, step ${step})`;
    for (let step = 0; step < STEPS; step++) {
      const r = rand();
      if (r < 0.6) {
        const n = 1 + Math.floor(rand() * 3);
        await pick(tabs).tab.commit(`s${step}`, n);
        committed += n;
      } else if (r < 0.72) {
        if (s.online) await s.serverDown();
        else await s.serverUp();
      } else if (r < 0.82) {
        await s.serverDown();
        await s.serverUp();
      } else if (r < 0.92) {
        // A tab closes once what it committed is in its leader (a commit still in a closing
        // tab's hands is the app's to lose, as in any web page).
        const victim = pick(tabs);
        await victim.tab.page.evaluate('window.__t.flush()');
        await victim.tab.page.close();
        victim.tab = await s.open(victim.profile, storeId);
      } else {
        const victim = pick(tabs);
        await victim.tab.page.evaluate('window.__t.flush()');
        victim.tab = await s.reload(victim.tab);
      }
    }
    await s.serverUp();
    const log = await converged(tabs.map((t) => t.tab), committed, why(STEPS));
    assert.equal(new Set(log).size, committed, `every committed event exactly once${why(STEPS)}`);
    assert.equal(await s.store.head(storeId), committed, `the server holds every event${why(STEPS)}`);
    await Promise.all(tabs.map((t) => t.tab.page.close()));
  });
});
