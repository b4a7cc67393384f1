import { expect } from 'chai';
import { LsError, isLsError, toLsError } from './errors.ts';

describe('LsError', () => {
  it('survives a round trip through its wire form with code, details and cause', () => {
    const inner = new LsError('LS_SQLITE_ERROR', 'no such table: x', { details: { sql: 'select * from x' } });
    const outer = new LsError('LS_MATERIALIZER_FAILED', 'materializer for todoCreated failed', { cause: inner });
    const back = LsError.fromWire(structuredClone(outer.toWire()));
    expect(back).to.be.instanceOf(LsError);
    expect(back.code).to.equal('LS_MATERIALIZER_FAILED');
    expect(isLsError(back.cause, 'LS_SQLITE_ERROR')).to.equal(true);
    expect((back.cause as LsError).details).to.deep.equal({ sql: 'select * from x' });
  });

  it('wraps foreign errors and keeps LsErrors as they are', () => {
    const e = new LsError('LS_TIMEOUT', 't');
    expect(toLsError(e, 'LS_INTERNAL', 'x')).to.equal(e);
    const w = toLsError(new TypeError('boom'), 'LS_INTERNAL', 'while testing');
    expect(w.code).to.equal('LS_INTERNAL');
    expect(w.message).to.equal('while testing: boom');
  });
});
