/**
 * The notices of an appeal on their way out. The worker that records a step sends its notices
 * straight after; the appeal takes note of them and, before it ends, makes sure every one went
 * (sending any a worker's death or a refusing mail server left behind). No step waits for mail.
 */
import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { AppealActivities } from '../activities/create';
import { NON_RETRYABLE_ERRORS } from '../activities/errors';

/** A mail server may be down for hours: retried with backoff, without limit, until it takes the notice. */
const { deliverNotice } = proxyActivities<AppealActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
});

/**
 * Notices are sent by the worker that recorded them, with no activity per step: the appeal
 * checks they all went once, at its end. Histories recorded before it replay on the earlier
 * paths: an activity per notice, or (with FEWER_ROUND_TRIPS) one per step.
 */
const SENT_BY_THE_RECORDING_WORKER = 'notices-sent-by-the-recording-worker';

/**
 * One activity per step for its notices (histories before SENT_BY_THE_RECORDING_WORKER). The same
 * patch also upserts search attributes only when one changed (appeal.ts).
 */
export const FEWER_ROUND_TRIPS = 'fewer-round-trips-per-step';

export class Deliveries {
  private readonly pending: Promise<void>[] = [];
  private readonly sentByTheWorker: string[] = [];

  /** The notices a step recorded. */
  add(noticeIds: string[]): void {
    if (noticeIds.length === 0) return;
    if (patched(SENT_BY_THE_RECORDING_WORKER)) {
      this.sentByTheWorker.push(...noticeIds);
      return;
    }
    if (patched(FEWER_ROUND_TRIPS)) {
      this.track(noticeIds.join(', '), deliverNotice(noticeIds));
      return;
    }
    for (const id of noticeIds) this.track(id, deliverNotice(id));
  }

  /** Resolves once every notice went, including any added while waiting. */
  async allFinished(): Promise<void> {
    if (this.sentByTheWorker.length > 0) this.track(this.sentByTheWorker.join(', '), deliverNotice(this.sentByTheWorker));
    let awaited = 0;
    while (awaited < this.pending.length) {
      awaited = this.pending.length;
      await Promise.all(this.pending);
    }
  }

  /** A delivery that finally fails (it is retried until the mail goes, so rarely) is logged, never fails the appeal. */
  private track(noticeIds: string, delivery: Promise<void>): void {
    this.pending.push(delivery.catch((error: unknown) => log.error('notice not delivered', { noticeIds, error: String(error) })));
  }
}
