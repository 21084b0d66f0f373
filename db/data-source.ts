import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DEFAULT_POLICY, SEEDED_DEPARTMENTS } from '../domain/policy';
import * as entities from './entities';
import { InitialSchema1764190000000 } from './migrations/1764190000000-initial-schema';
import { NotificationDelivery1764200000000 } from './migrations/1764200000000-notification-delivery';
import { Api1764210000000 } from './migrations/1764210000000-api';
import { WebSessions1764220000000 } from './migrations/1764220000000-web-sessions';
import { Calendars1764230000000 } from './migrations/1764230000000-calendars';
import { Register1764240000000 } from './migrations/1764240000000-register';
import { Checkpoints1764250000000 } from './migrations/1764250000000-checkpoints';
import { Documents1764260000000 } from './migrations/1764260000000-documents';
import { DocumentStores1764265000000 } from './migrations/1764265000000-document-stores';
import { DecisionLetters1764270000000 } from './migrations/1764270000000-decision-letters';
import { StoredAppealViews1764290000000 } from './migrations/1764290000000-stored-appeal-views';
import { NoticeDispatch1764300000000 } from './migrations/1764300000000-notice-dispatch';
import { seedCalendar } from './calendars';

export interface DatabaseOptions {
  url: string;
  /** PostgreSQL schema holding every table; tests use a throwaway one per run. */
  schema: string;
}

export function createDataSource({ url, schema }: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    schema,
    entities: Object.values(entities),
    migrations: [
      InitialSchema1764190000000,
      NotificationDelivery1764200000000,
      Api1764210000000,
      WebSessions1764220000000,
      Calendars1764230000000,
      Register1764240000000,
      Checkpoints1764250000000,
      Documents1764260000000,
      DocumentStores1764265000000,
      DecisionLetters1764270000000,
      StoredAppealViews1764290000000,
      NoticeDispatch1764300000000,
    ],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    extra: { options: `-c search_path=${schema}`, max: 10 },
  });
}

/** What reads run on: a DataSource, or the EntityManager of a transaction. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * Rows of a read the API makes again and again. On a DataSource it runs as a named prepared
 * statement, which each connection parses and plans once (the appeals table has many indexes
 * for the planner to weigh); in a transaction it runs there, as any query.
 */
export async function preparedRead<Row>(db: Queryable, text: string, values: unknown[]): Promise<Row[]> {
  if (!(db instanceof DataSource)) return db.query<Row[]>(text, values);
  const name = `read-${createHash('sha256').update(text).digest('base64url').slice(0, 16)}`;
  return (await poolOf(db).query({ name, text, values })).rows as Row[];
}

/** The `pg` pool under a DataSource. */
export const poolOf = (dataSource: DataSource): Pool => (dataSource.driver as PostgresDriver).master as Pool;

/** Create the schema if missing, run pending migrations and seed the departments and the calendar. Idempotent. */
export async function migrate(dataSource: DataSource): Promise<void> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const schema = dataSource.driver.schema ?? 'public';
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
  await seedDepartments(dataSource);
  await seedCalendar(dataSource);
}

async function seedDepartments(dataSource: DataSource): Promise<void> {
  for (const department of SEEDED_DEPARTMENTS) {
    await dataSource.query(`INSERT INTO departments (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`, [
      department.code,
      department.name,
    ]);
    await dataSource.query(
      `INSERT INTO policy_versions (department_code, version, policy, created_by) VALUES ($1, 1, $2, 'seed')
       ON CONFLICT DO NOTHING`,
      [department.code, JSON.stringify(DEFAULT_POLICY)],
    );
  }
}
