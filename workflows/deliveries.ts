/**
 * The notices of an appeal on their way out. Each delivery runs beside the appeal, never in its
 * way; the workflow waits for them only before it ends, so none is abandoned.
 */
import { log } from '@temporalio/workflow';

export class Deliveries {
  private readonly pending: Promise<void>[] = [];

  /** A delivery that finally fails (it is retried until the mail goes, so rarely) is logged, never fails the appeal. */
  track(noticeIds: string, delivery: Promise<void>): void {
    this.pending.push(delivery.catch((error: unknown) => log.error('notice not delivered', { noticeIds, error: String(error) })));
  }

  /** Resolves once every delivery has finished, including any started while waiting. */
  async allFinished(): Promise<void> {
    let awaited = 0;
    while (awaited < this.pending.length) {
      awaited = this.pending.length;
      await Promise.all(this.pending);
    }
  }
}
