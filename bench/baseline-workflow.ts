/**
 * The same-shape baseline for the engine's appeal workflow: started with update-with-start whose
 * update awaits one no-op activity, then one update per later step, each awaiting one no-op
 * activity. It ends after the last step, as a dismissed appeal ends; one only opened stays open.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './baseline-activities';
import { baselineStepUpdates, openBaselineUpdate } from './baseline-shared';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(): Promise<void> {
  let stepsTaken = 0;
  setHandler(openBaselineUpdate, async ({ id }) => {
    await noop();
    return { id };
  });
  for (const update of baselineStepUpdates) {
    setHandler(update, async () => {
      await noop();
      stepsTaken++;
    });
  }
  await condition(() => stepsTaken === baselineStepUpdates.length && allHandlersFinished());
}
