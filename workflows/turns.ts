/**
 * One step of an appeal at a time. A step checks its rule, changes the appeal and awaits the
 * activity that records it; a step that ran meanwhile would check its rule against an appeal about
 * to change, and its recording could overtake the first one's. So steps take turns, in the order
 * they asked. A step that finds no one ahead of it starts at once, without awaiting anything, so
 * an appeal with one step at a time issues the same commands as before steps took turns.
 */
import { condition, patched } from '@temporalio/workflow';

/** Steps took no turns before this patch: histories recorded before it replay without them. */
export const STEPS_TAKE_TURNS = 'steps-take-turns';

export class Turns {
  private issued = 0;
  private serving = 0;

  async take<T>(step: () => Promise<T>): Promise<T> {
    if (!patched(STEPS_TAKE_TURNS)) return step();
    const ticket = this.issued++;
    if (ticket !== this.serving) await condition(() => this.serving === ticket);
    try {
      return await step();
    } finally {
      this.serving++;
    }
  }
}
