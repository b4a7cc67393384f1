// The reconnect backoff: exponential, capped, jittered in the upper half, reset by a success.
import { expect } from 'chai';
import { createBackoff } from './backoff.ts';

describe('sync backoff', () => {
  it('doubles its cap per attempt up to maxMs and draws each delay from the upper half of the cap', () => {
    const low = createBackoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    const high = createBackoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect(Array.from({ length: 6 }, () => low.next())).to.deep.equal([50, 100, 200, 400, 500, 500]);
    expect(Array.from({ length: 6 }, () => high.next())).to.deep.equal([100, 200, 400, 800, 1000, 1000]);
    expect(high.attempt).to.equal(6);
  });

  it('starts over after reset and never exceeds the cap even after many attempts', () => {
    const b = createBackoff({ initialMs: 10, maxMs: 50, random: () => 0.5 });
    for (let i = 0; i < 2000; i++) expect(b.next()).to.be.at.most(50);
    b.reset();
    expect(b.attempt).to.equal(0);
    expect(b.next()).to.be.at.most(10);
  });

  it('refuses bounds that make no sense with LS_INVALID_ARGUMENT', () => {
    expect(() => createBackoff({ initialMs: 0 })).to.throw().with.property('code', 'LS_INVALID_ARGUMENT');
    expect(() => createBackoff({ initialMs: 100, maxMs: 10 })).to.throw().with.property('code', 'LS_INVALID_ARGUMENT');
  });
});
