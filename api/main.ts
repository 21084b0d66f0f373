import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { startServer } from './server';

/** Production entry point: `npm run api`. */
async function run(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const dataSource = createDataSource({ url: config.databaseUrl, schema: config.databaseSchema });
  const connection = await Connection.connect(config.temporal.connectionOptions);
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const server = await startServer({ port: config.port, dataSource, client, config });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
  } finally {
    await connection.close();
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
