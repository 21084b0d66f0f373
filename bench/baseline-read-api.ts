/**
 * The same-shape baseline for `GET /v1/appeals/{id}`, a process of its own:
 * `node --import tsx bench/baseline-read-api.ts` with DATABASE_URL and PORT. A minimal Express app
 * answering from the same PostgreSQL with one `pg` query by primary key, on a table of its own
 * that holds the engine's answers as they were given (the view JSON is stored, not built).
 */
import express from 'express';
import pg from 'pg';
import { loadConfig } from '../config';
import { BASELINE_VIEWS_TABLE } from './baseline-shared';
import { runToExit } from './process';

async function run(): Promise<void> {
  const config = loadConfig();
  const pool = new pg.Pool({ connectionString: config.databaseUrl });
  const app = express();
  app.get('/v1/appeals/:id', async (req, res) => {
    const { rows } = await pool.query<{ body: unknown }>(`SELECT body FROM ${BASELINE_VIEWS_TABLE} WHERE id = $1`, [req.params.id]);
    if (rows.length === 0) res.status(404).end();
    else res.json(rows[0].body);
  });
  app.get('/readyz', (_req, res) => {
    res.end('ok');
  });
  const server = app.listen(config.port, '127.0.0.1');
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await new Promise((resolve) => server.close(resolve));
  await pool.end();
}

runToExit(run);
