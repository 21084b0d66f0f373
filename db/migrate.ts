import { loadConfig } from '../config';
import { createDataSource, migrate } from './data-source';

/** Production entry point: `npm run migrate` creates or upgrades the schema and seeds departments. */
async function run(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const dataSource = createDataSource({ url: config.databaseUrl, schema: config.databaseSchema });
  try {
    await migrate(dataSource);
    console.log(`Schema "${config.databaseSchema}" is up to date.`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
