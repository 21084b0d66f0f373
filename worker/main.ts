import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { createAppealWorker } from './worker';

/** Production entry point: `npm run worker`. */
async function run(): Promise<void> {
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
    await worker.run();
  } finally {
    await connection.close();
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
