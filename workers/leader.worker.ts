// The leader worker's entry point (a dedicated module worker spawned by the tab holding the
// store's leader lock); all of its logic is in src/leader/leader-host-worker.ts.
import { startLeaderWorker, type LeaderWorkerScope } from '../src/leader/leader-host-worker.ts';

startLeaderWorker(self as unknown as LeaderWorkerScope);
