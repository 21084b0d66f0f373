/**
 * The same-shape baseline for opening an appeal: a workflow started with update-with-start whose
 * update awaits one no-op activity; then it stays open, as an appeal does.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './baseline-activities';
import { openBaselineUpdate } from './baseline-shared';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(): Promise<void> {
  setHandler(openBaselineUpdate, async ({ id }) => {
    await noop();
    return { id };
  });
  await condition(() => false);
}
