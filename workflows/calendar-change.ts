/**
 * A change to the bank holidays, offered to every open appeal whose running deadline it moves.
 * Each appeal counts its deadline again in its own turn (workflows/appeal.ts), keyed by the
 * calendar version, so an appeal told twice (this workflow retried, or resumed after a worker
 * died) moves once. Pages of appeals keep the history short; a long run continues as new.
 */
import { continueAsNew, getExternalWorkflowHandle, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AppealActivities } from '../activities/create';
import { NON_RETRYABLE_ERRORS } from '../activities/errors';
import { appealWorkflowId, calendarChangedSignal } from './shared';

const { appealsMovedByCalendar, calendarRecalculated } = proxyActivities<AppealActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
});

export interface CalendarChangeInput {
  calendarVersion: number;
  /** Where a run continued as new picks up. */
  afterAppealId?: string;
}

export async function calendarChangeWorkflow({ calendarVersion, afterAppealId }: CalendarChangeInput): Promise<void> {
  let after = afterAppealId;
  for (;;) {
    const page = await appealsMovedByCalendar({ calendarVersion, afterAppealId: after });
    await Promise.all(page.appealIds.map((appealId) => tell(appealId, calendarVersion)));
    if (!page.next) break;
    after = page.next;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof calendarChangeWorkflow>({ calendarVersion, afterAppealId: after });
  }
  await calendarRecalculated(calendarVersion);
}

/** An appeal that closed meanwhile has no deadline left to move: that is not a failure of the change. */
async function tell(appealId: string, calendarVersion: number): Promise<void> {
  try {
    await getExternalWorkflowHandle(appealWorkflowId(appealId)).signal(calendarChangedSignal, { calendarVersion });
  } catch (error) {
    log.warn('appeal not told of the calendar change', { appealId, calendarVersion, error: String(error) });
  }
}
