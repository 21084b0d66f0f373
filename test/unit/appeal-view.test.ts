import { expect } from 'chai';
import type { z } from 'zod';
import { AppealViewSchema } from '../../api/appeals/schemas';
import type { AppealView } from '../../domain/appeal';

/** True only when A and B are the same type (each assignable to the other, in every part). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('the appeal view', () => {
  it('is described alike by its TypeScript type and by the response schema the API documents', () => {
    const same: Same<z.infer<typeof AppealViewSchema>, AppealView> = true;
    expect(same).to.equal(true);
  });
});
