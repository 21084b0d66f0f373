/**
 * One signed checkpoint of every appeal's timeline. The worker's Temporal Schedule starts it every
 * CHECKPOINT_INTERVAL_HOURS (worker/checkpoint-schedule.ts). A Schedule rather than a workflow
 * looping on a timer: the interval lives in the server, where an operator can see, pause or
 * trigger it (Temporal UI, `temporal schedule`); a new interval is an update of the schedule, not a
 * change of running workflow code that old histories must replay; there is no history to grow and
 * continue as new; and the dev server of `npm start` and the tests runs schedules too.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { AppealActivities } from '../activities/create';
import type { CheckpointMade } from '../activities/checkpoints';
import { NON_RETRYABLE_ERRORS } from '../activities/errors';

const { checkpointTimelines } = proxyActivities<AppealActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
});

export async function checkpointWorkflow(): Promise<CheckpointMade> {
  return checkpointTimelines();
}
