/**
 * The Temporal baseline's worker, a process of its own: `node --import tsx bench/baseline-worker.ts`
 * with TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE. Worker settings are the SDK's defaults.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import * as activities from './baseline-activities';
import { BASELINE_TASK_QUEUE } from './baseline-shared';
import { runToExit } from './process';

async function run(): Promise<void> {
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const config = loadConfig();
  const connection = await NativeConnection.connect(config.temporal.connectionOptions);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: BASELINE_TASK_QUEUE,
      workflowsPath: require.resolve('./baseline-workflow'),
      activities,
    });
    await worker.run();
  } finally {
    await connection.close();
  }
}

runToExit(run);
