import { setTimeout as delay } from 'node:timers/promises';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { createAppealWorker } from './worker';

/** How long the database pool is given to close at the end. */
const POOL_CLOSE_MS = 1_000;

/**
 * Production entry point: `npm run worker`. SIGINT or SIGTERM (a repeat changes nothing) stops it:
 * no new tasks; running activities and notices being sent get SHUTDOWN_GRACE_SECONDS to finish,
 * then activities are handed back to Temporal to retry elsewhere (see createAppealWorker) and
 * notices left to another worker's sweep; then the connections close and the exit code is 0.
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
    // A notice send cut short at the end of the grace period still holds its connection (and its
    // claim): the exit closes it, so the pool is not waited for.
    if (dataSource.isInitialized) await Promise.race([dataSource.destroy(), delay(POOL_CLOSE_MS)]);
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
