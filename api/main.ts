import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { startServer } from './server';

/**
 * Production entry point: `npm run api`. SIGINT or SIGTERM (a repeat changes nothing) stops it:
 * no new requests, those in flight finish or answer 503 within SHUTDOWN_GRACE_SECONDS, then the
 * Temporal and PostgreSQL connections close and the exit code is 0.
 */
async function run(): Promise<void> {
  const stopAsked = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve());
  });
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const dataSource = createDataSource({ url: config.databaseUrl, schema: config.databaseSchema });
  const connection = await Connection.connect(config.temporal.connectionOptions);
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const server = await startServer({ port: config.port, dataSource, client, config });
    await stopAsked;
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
