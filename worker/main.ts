import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { createAppealWorker } from './worker';

/**
 * Production entry point: `npm run worker`. SIGINT or SIGTERM (a repeat changes nothing) stops it:
 * no new tasks; running activities get SHUTDOWN_GRACE_SECONDS to finish, then are handed back to
 * Temporal to retry elsewhere (see createAppealWorker); then the connections close and the exit
 * code is 0.
 */
async function run(): Promise<void> {
  const stopAsked = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve());
  });
  Runtime.install({ shutdownSignals: [] }); // the signals are ours (above): a second one must not kill the process
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const dataSource = createDataSource({ url: config.databaseUrl, schema: config.databaseSchema });
  const connection = await NativeConnection.connect(config.temporal.connectionOptions);
  try {
    const worker = await createAppealWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataSource,
      config,
    });
    const running = worker.run();
    void stopAsked.then(() => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    });
    await running;
  } finally {
    await connection.close();
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

run().then(
  // What the activities handed back still do in the background must not keep the process.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
