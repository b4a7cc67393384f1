/**
 * `ls-elements/worker`: what an app's own leader worker file imports (kept out of the main entry,
 * so pages do not download the leader's code). See makeWorker in leader/leader-host-worker.ts.
 */
export { makeWorker } from './leader/leader-host-worker.ts';
export type { LsSchema } from './core/make-schema.ts';
