/**
 * Workers of a test's own, on a task queue of their own, for crash, retry and restart tests.
 * They run the harness's workflow bundle, built once per run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { ActivityDependencies, AppealActivities } from '../../activities/create';
import { createMailer } from '../../activities/mailers';
import { activitiesWithDispatcher, outboxDirOf, runningWithDispatcher } from '../../worker/worker';
import type { appealWorkflow } from '../../workflows';
import { appealWorkflowId, openAppealUpdate } from '../../workflows/shared';
import type { AppealView } from '../../domain/appeal';
import { harness, TEST_JWT_SECRET } from '../harness';
import { appFreeEnv, spawnCollecting, type Spawned } from './processes';
import { submission } from './appeals';

export interface RunningWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** How a test's worker delivers notices; by default like the harness's worker, to the outbox folder. */
export type DeliveryOptions = Partial<Pick<ActivityDependencies, 'mailer' | 'webhook'>>;

/** Run a worker on `taskQueue`, optionally with its activities wrapped and its delivery set by the test. */
export async function runWorker(
  taskQueue: string,
  wrap: (activities: AppealActivities) => AppealActivities = (activities) => activities,
  delivery: DeliveryOptions = {},
): Promise<RunningWorker> {
  const { connection, namespace, dataSource, config } = harness();
  const mailer = delivery.mailer ?? createMailer({ from: config.mail.from, outboxDir: outboxDirOf(config) });
  const { activities, dispatcher } = activitiesWithDispatcher({ dataSource, caseworkerTeam: config.mail.caseworkerTeam, mailer, webhook: delivery.webhook, registerUrl: config.publicUrl });
  const worker = runningWithDispatcher(await Worker.create({ connection, namespace, taskQueue, workflowBundle: harness().workflowBundle, activities: wrap(activities) }), dispatcher);
  const running = worker.run();
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

export const newTaskQueue = () => `appeals-test-own-${randomBytes(4).toString('hex')}`;

/** Open an appeal straight through Temporal, on a test's own task queue. */
export async function openAppealOn(taskQueue: string, department: string): Promise<AppealView> {
  const appealId = randomUUID();
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof appealWorkflow>('appealWorkflow', {
    workflowId: appealWorkflowId(appealId),
    taskQueue,
    args: [{ appealId, submission: submission(department) as never, submittedBy: { sub: 'caseworker-1', role: 'caseworker' } }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return harness().client.workflow.executeUpdateWithStart(openAppealUpdate, { startWorkflowOperation });
}

/** Every recording activity writes, then fails once per distinct input: Temporal retries it. Deliveries run as they are. */
export function failingOnceAfterWriting(activities: AppealActivities): { activities: AppealActivities; failures: () => number } {
  const failed = new Set<string>();
  const once =
    <I, O>(name: string, activity: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      const result = await activity(input);
      const key = `${name}:${JSON.stringify(input)}`;
      if (!failed.has(key)) {
        failed.add(key);
        throw new Error(`injected failure after ${name} wrote`);
      }
      return result;
    };
  return {
    activities: { ...activities, openAppeal: once('openAppeal', activities.openAppeal), recordStep: once('recordStep', activities.recordStep) },
    failures: () => failed.size,
  };
}

/** The API or the worker (`entry`) as its own process, configured like production against the harness's servers. */
export function spawnEntry(entry: string, env: Record<string, string>): Spawned {
  const { config, schema, temporalAddress, namespace } = harness();
  return spawnCollecting(process.execPath, ['--import', 'tsx', entry], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...appFreeEnv(),
      DATABASE_URL: config.databaseUrl,
      DATABASE_SCHEMA: schema,
      DATA_DIR: config.dataDir,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
}
