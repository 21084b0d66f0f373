import {
  bundleWorkflowCode,
  Runtime,
  Worker,
  type ActivityInterceptorsFactory,
  type NativeConnection,
  type WorkflowBundleOption,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { Context, log } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import path from 'node:path';
import { createActivities, type ActivityDependencies, type AppealActivities } from '../activities/create';
import { createNoticeDelivery } from '../activities/delivery';
import { createMailer } from '../activities/mailers';
import type { WebhookTarget } from '../activities/webhook';
import type { Config } from '../config';
import { createDocumentStore } from '../db/document-store';
import { ensureCheckpointSchedule } from './checkpoint-schedule';
import { DEFAULT_DISPATCH, NoticeDispatcher, type DispatchOptions } from './notice-dispatcher';

export interface AppealWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataSource: DataSource;
  config: Config;
  /** A pre-built workflow bundle (tests build it once); else WORKFLOW_BUNDLE_PATH's, else the workflows are bundled here. */
  workflowBundle?: WorkflowBundleOption;
}

/**
 * An activity still running when the worker's shutdown grace period ends is reported cancelled at
 * once, so that Temporal retries it on another worker now rather than when its attempt times out.
 * Most of ours would not notice the cancellation (a database transaction, an HTTP call); they are
 * idempotent, and what they still do after this is rolled back with the connection or repeated.
 */
const handBackOnShutdown: ActivityInterceptorsFactory = (context) => ({
  inbound: {
    execute: (input, next) =>
      Promise.race([
        next(input),
        context.cancelled.catch((error: unknown) => {
          if (context.cancellationDetails?.workerShutdown) throw error;
          return new Promise<never>(() => undefined); // any other cancellation is the activity's own business
        }),
      ]),
  },
});

/** A worker and the dispatcher that sends the notices its activities record. */
export interface AppealWorker {
  /** Runs until shut down, then lets the notices being sent finish. */
  run(): Promise<void>;
  shutdown(): void;
  getState(): ReturnType<Worker['getState']>;
}

/** The activities, with the dispatcher that sends the notices they record (started and stopped by the caller). */
export function activitiesWithDispatcher(deps: Omit<ActivityDependencies, 'dispatchNotices'>, dispatch: DispatchOptions = DEFAULT_DISPATCH) {
  const dispatcher = new NoticeDispatcher(createNoticeDelivery(deps), deps.dataSource, dispatch);
  const activities = createActivities({ ...deps, dispatchNotices: (noticeIds) => dispatcher.dispatch(noticeIds) });
  return { activities, dispatcher };
}

/**
 * Run `worker` with `dispatcher` beside it. Asked to shut down, both stop taking work at once: the
 * notices being sent get `graceMs` to finish, as running activities do.
 */
export function runningWithDispatcher(worker: Worker, dispatcher: NoticeDispatcher, graceMs?: number): AppealWorker {
  let dispatcherStopped: Promise<void> | undefined;
  const stopDispatcher = () => (dispatcherStopped ??= dispatcher.stop(graceMs));
  return {
    async run() {
      dispatcher.start();
      try {
        await worker.run();
      } finally {
        await stopDispatcher();
      }
    },
    shutdown: () => {
      worker.shutdown();
      void stopDispatcher();
    },
    getState: () => worker.getState(),
  };
}

/**
 * A worker that runs appeal workflows and their activities, and sends the notices they record;
 * the caller runs and shuts it down. With a checkpoint signing key, it also makes sure the
 * checkpoint schedule exists.
 */
export async function createAppealWorker(options: AppealWorkerOptions): Promise<AppealWorker> {
  const { connection, namespace, taskQueue, dataSource, config, workflowBundle } = options;
  if (!dataSource.isInitialized) await dataSource.initialize();
  const { activities, dispatcher } = activitiesWithDispatcher({
    dataSource,
    caseworkerTeam: config.mail.caseworkerTeam,
    mailer: createMailer({ ...config.mail, outboxDir: outboxDirOf(config) }),
    webhook: webhookOf(config),
    registerUrl: config.publicUrl,
    // The decision letter goes where the API keeps documents.
    documentStore: createDocumentStore(config.documents.store, dataSource),
    checkpointKey: config.checkpoints.signingKey,
  });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowBundle: workflowBundle ?? (config.workflowBundlePath ? { codePath: config.workflowBundlePath } : await bundleWorkflows()),
    // On shutdown, running activities get the grace period to finish, then are handed back.
    shutdownGraceTime: config.shutdownGraceMs,
    interceptors: { activity: [handBackOnShutdown] },
    activities: failingAfterCommit(activities, config.faults.failAfterCommit),
  });
  if (config.checkpoints.signingKey) await ensureCheckpointSchedule(connection, config);
  else Runtime.instance().logger.warn('No CHECKPOINT_SIGNING_KEY: this worker makes no signed checkpoints');
  return runningWithDispatcher(worker, dispatcher, config.shutdownGraceMs);
}

/**
 * Test-only (FAULTS_FAIL_AFTER_COMMIT, off by default): on `share` of their first attempts the
 * recording activities throw after their transaction committed, as when the answer is lost on
 * the way back. Temporal retries them; the fault suite checks that nothing is written twice.
 */
export function failingAfterCommit(activities: AppealActivities, share: number): AppealActivities {
  if (share <= 0) return activities;
  const ambiguous =
    <I, O>(name: string, activity: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      const result = await activity(input);
      if (Context.current().info.attempt === 1 && Math.random() < share) {
        log.warn(`FAULTS_FAIL_AFTER_COMMIT: ${name} committed, failing it on purpose`);
        throw new Error(`${name} committed, then failed on purpose (FAULTS_FAIL_AFTER_COMMIT)`);
      }
      return result;
    };
  return {
    ...activities,
    openAppeal: ambiguous('openAppeal', activities.openAppeal),
    recordStep: ambiguous('recordStep', activities.recordStep),
    deliverNotice: ambiguous('deliverNotice', (noticeIds: string | string[]) => activities.deliverNotice(noticeIds)),
  };
}

/** Bundle the workflow code, keeping webpack's long report out of the logs unless it warns. */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  const quiet = () => undefined;
  const logger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error };
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger });
}

/** Without SMTP_URL, emails are written as `.eml` files here. */
export const outboxDirOf = (config: Config): string => path.join(config.dataDir, 'outbox');

function webhookOf({ webhook }: Config): WebhookTarget | undefined {
  // config.ts refuses a WEBHOOK_URL without its WEBHOOK_SECRET.
  return webhook.url && webhook.secret ? { url: webhook.url, secret: webhook.secret } : undefined;
}
