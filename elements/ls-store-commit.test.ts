// <ls-store>.commit(name, args): committing by event name, for pages without a build step.
import { expect } from 'chai';
import { isLsError } from '../src/index.ts';
import './index.ts';
import type { LsStore } from './index.ts';
import { schema, tables } from '../test/fixtures/todo-schema.ts';
import { cleanup, mount, uniqueStoreId } from '../test/fixtures/mount.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isLsError(err) ? err.code : `not an LsError: ${String(err)}`;
  }
  return undefined;
}

async function openStore(): Promise<LsStore> {
  const el = mount(`<ls-store store-id="${uniqueStoreId('commit')}"></ls-store>`).querySelector('ls-store')!;
  el.schema = schema;
  await el.ready;
  return el;
}

describe('<ls-store>.commit(name, args)', () => {
  afterEach(cleanup);

  it('commits an event looked up by its name in the schema', async () => {
    const el = await openStore();
    const [event] = el.commit('v1.TodoCreated', { id: 't1', text: 'milk' });
    expect(event!.name).to.equal('v1.TodoCreated');
    expect(el.store!.query(tables.todos.select('text'))).to.deep.equal(['milk']);
  });

  it('sets a client document through its derived event name', async () => {
    const el = await openStore();
    el.commit('uiStateSet', { filter: 'completed' });
    expect(el.store!.query(tables.uiState.get())).to.deep.equal({ newTodoText: '', filter: 'completed' });
  });

  it('finds events by their key when the schema module exports events', async () => {
    const el = mount(`<ls-store store-id="${uniqueStoreId('key')}" schema="/test/fixtures/todo-schema.ts"></ls-store>`).querySelector('ls-store')!;
    await el.ready;
    el.commit('todoCreated', { id: 'k', text: 'by key' });
    expect(el.store!.query(tables.todos.select('id'))).to.deep.equal(['k']);
  });

  it('throws LS_UNKNOWN_EVENT for a name the schema does not have, naming the known events', async () => {
    const el = await openStore();
    expect(codeOf(() => el.commit('v1.Nope', {}))).to.equal('LS_UNKNOWN_EVENT');
    expect(() => el.commit('v1.Nope', {})).to.throw(/v1\.TodoCreated/);
  });

  it('throws LS_INVALID_EVENT_ARGS for args that do not match the event schema, committing nothing', async () => {
    const el = await openStore();
    expect(codeOf(() => el.commit('v1.TodoCreated', { id: 1 }))).to.equal('LS_INVALID_EVENT_ARGS');
    expect(el.store!.query(tables.todos.count())).to.equal(0);
  });

  it('throws LS_STORE_SHUTDOWN before the store is open', () => {
    const el = mount('<ls-store></ls-store>').querySelector('ls-store')!;
    expect(codeOf(() => el.commit('v1.TodoCreated', { id: 'x', text: 'y' }))).to.equal('LS_STORE_SHUTDOWN');
  });

  it('throws LS_INVALID_ARGUMENT when the name is not a string', async () => {
    const el = await openStore();
    expect(codeOf(() => el.commit(42 as unknown as string, {}))).to.equal('LS_INVALID_ARGUMENT');
  });
});
