import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ConnectionLike, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config';
import { checkpointScheduleId, checkpointWorkflowId } from '../workflows/shared';

const HOUR_MS = 3_600_000;

/**
 * Create the schedule that makes a checkpoint every CHECKPOINT_INTERVAL_HOURS, or bring an existing
 * one to this worker's interval and task queue: every worker does this as it starts, so it is
 * idempotent. A run still going when the next is due is skipped, not queued.
 */
export async function ensureCheckpointSchedule(connection: ConnectionLike, config: Config): Promise<void> {
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const options = scheduleOf(config);
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const { spec, action, policies } = options;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({ spec, action, policies, state: previous.state }));
  }
}

function scheduleOf(config: Config) {
  return {
    scheduleId: checkpointScheduleId(config.databaseSchema),
    spec: { intervals: [{ every: Math.round(config.checkpoints.intervalHours * HOUR_MS) }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'checkpointWorkflow',
      workflowId: checkpointWorkflowId(config.databaseSchema),
      taskQueue: config.temporal.taskQueue,
      args: [],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  } satisfies ScheduleOptions;
}
