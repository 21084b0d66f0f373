import { expect } from 'chai';
import { conflictOfInterest } from '../../domain/arbiters';

describe('arbiters: the conflict of interest rule', () => {
  it('refuses an arbiter whose home department is the appeal\'s own, and says why', () => {
    expect(conflictOfInterest({ department: 'HO' }, 'HO')).to.equal("belongs to HO, the appeal's own department: a conflict of interest");
  });

  it('allows an arbiter of another department, or of none', () => {
    expect(conflictOfInterest({ department: 'MOJ' }, 'HO')).to.equal(undefined);
    expect(conflictOfInterest({ department: null }, 'HO')).to.equal(undefined);
  });
});
