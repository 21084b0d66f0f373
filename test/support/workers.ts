/**
 * Workers of a test's own, on a task queue of their own, for crash, retry and restart tests.
 * The workflow code is bundled once per run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type AppealActivities } from '../../activities';
import type { appealWorkflow } from '../../workflows';
import { appealWorkflowId, openAppealUpdate, type AppealView } from '../../workflows/shared';
import { harness } from '../harness';
import { submission } from './appeals';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface RunningWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** Run a worker on `taskQueue`, optionally with its activities wrapped by the test. */
export async function runWorker(
  taskQueue: string,
  wrap: (activities: AppealActivities) => AppealActivities = (activities) => activities,
): Promise<RunningWorker> {
  const { connection, namespace, dataSource, config } = harness();
  const activities = wrap(createActivities({ dataSource, caseworkerTeam: config.mail.caseworkerTeam }));
  const worker = await Worker.create({ connection, namespace, taskQueue, workflowBundle: await workflowBundle(), activities });
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

/** Every activity writes, then fails once per distinct input: Temporal retries it. */
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
    activities: { openAppeal: once('openAppeal', activities.openAppeal), recordStep: once('recordStep', activities.recordStep) },
    failures: () => failed.size,
  };
}
