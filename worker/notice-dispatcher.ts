/**
 * Sends the notices a step wrote, from the worker that recorded the step, as soon as its
 * transaction committed: no round trip through Temporal per step. Notices whose worker died
 * before sending them, or that failed (the mail server refused), are swept up by every worker
 * on a timer and tried again. At the end of an appeal, its workflow's `deliverNotice` activity
 * makes sure each of its notices went. A notice is claimed before it is sent (see
 * createNoticeDelivery), so the dispatcher, the sweep and the activity never send it twice at once.
 */
import { Runtime } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import type { NoticeDelivery } from '../activities/delivery';
import { undeliveredSince } from '../db/notifications';

export interface DispatchOptions {
  /** How many batches are sent at once; each holds a database connection while it sends. */
  lanes: number;
  /** How often undelivered notices are looked for. */
  sweepEveryMs: number;
  /** A notice this old and still undelivered is swept up: its own dispatch has had time to send it. */
  sweepAfterMs: number;
}

export const DEFAULT_DISPATCH: DispatchOptions = { lanes: 2, sweepEveryMs: 10_000, sweepAfterMs: 5_000 };
const SWEEP_BATCH = 10;
const SWEEP_LIMIT = 200;

export class NoticeDispatcher {
  private readonly waiting: string[][] = [];
  /** The notices waiting or being sent here: a sweep or a retried recording does not queue them twice. */
  private readonly inHand = new Set<string>();
  private readonly idleLanes: (() => void)[] = [];
  private readonly settledWaiters: (() => void)[] = [];
  private lanes: Promise<void>[] = [];
  private busyLanes = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly delivery: NoticeDelivery,
    private readonly dataSource: DataSource,
    private readonly options: DispatchOptions = DEFAULT_DISPATCH,
  ) {}

  /** Send these notices soon; returns at once. */
  dispatch(noticeIds: string[]): void {
    const fresh = noticeIds.filter((id) => !this.inHand.has(id));
    if (this.stopped || fresh.length === 0) return;
    for (const id of fresh) this.inHand.add(id);
    this.waiting.push(fresh);
    this.idleLanes.shift()?.();
  }

  /**
   * Start the lanes that send, and the sweep, with a first sweep at once (for what a worker that
   * stopped left). The lanes run in the context this is called in, never in that of the activity
   * that dispatched the notices: a send is not part of any activity.
   */
  start(): void {
    this.lanes = Array.from({ length: this.options.lanes }, () => this.lane());
    const sweep = () => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    };
    sweep();
    this.sweepTimer = setInterval(sweep, this.options.sweepEveryMs);
  }

  /**
   * Stop taking notices and give those being sent `graceMs` to finish; those still waiting, and
   * any send cut short, are left to a sweep (a cut-short claim ends with the process's connections).
   */
  async stop(graceMs = Infinity): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    this.waiting.length = 0;
    this.inHand.clear();
    for (const wake of this.idleLanes.splice(0)) wake();
    const finished = Promise.all([this.sweeping, ...this.lanes]).then(() => undefined);
    if (graceMs === Infinity) return finished;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  /** Resolves once nothing is waiting or being sent. */
  settled(): Promise<void> {
    if (this.waiting.length === 0 && this.busyLanes === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Look for notices written a while ago and still undelivered, and send them. */
  async sweep(): Promise<void> {
    const before = new Date(Date.now() - this.options.sweepAfterMs);
    const ids = await undeliveredSince(this.dataSource.manager, before, SWEEP_LIMIT).catch((error: unknown) => {
      warn('could not look for undelivered notices', error);
      return [];
    });
    for (let i = 0; i < ids.length; i += SWEEP_BATCH) this.dispatch(ids.slice(i, i + SWEEP_BATCH));
  }

  /** Sends what is waiting, one batch at a time, until stopped. */
  private async lane(): Promise<void> {
    while (!this.stopped) {
      const ids = this.waiting.shift();
      if (!ids) {
        await new Promise<void>((resolve) => this.idleLanes.push(resolve));
        continue;
      }
      this.busyLanes++;
      try {
        reportFailures((await this.delivery.deliver(ids)).failures);
      } catch (error) {
        warn('notices not sent; a sweep will try again', error, ids);
      } finally {
        this.busyLanes--;
        for (const id of ids) this.inHand.delete(id);
      }
      if (this.waiting.length === 0 && this.busyLanes === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    }
  }
}

function reportFailures(failures: Error[]): void {
  for (const failure of failures) warn('a notice was not sent; a sweep will try again', failure);
}

function warn(message: string, error: unknown, noticeIds?: string[]): void {
  Runtime.instance().logger.warn(message, { error: error instanceof Error ? error.message : String(error), noticeIds });
}
