/**
 * The same-shape baseline for the engine's reads, a process of its own:
 * `node --import tsx bench/baseline-read-api.ts` with DATABASE_URL and PORT. A minimal Express app
 * answering from the same PostgreSQL with one `pg` query per request, on tables of its own that
 * hold the engine's answers as they were given (the JSON is stored, not built):
 *   - `GET /v1/appeals/{id}`, by primary key;
 *   - `GET /v1/appeals?status=…&limit=…`, the first page, by one keyset query on
 *     (status, created_at DESC, id DESC), with the engine's page shape and cursor.
 */
import express from 'express';
import pg from 'pg';
import { loadConfig } from '../config';
import { BASELINE_LIST_TABLE, BASELINE_VIEWS_TABLE } from './baseline-shared';
import { runToExit } from './process';

/** The engine's cursor: the (created_at, id) of the last appeal on the page. */
const cursorOf = (createdAt: Date, id: string): string => Buffer.from(JSON.stringify({ c: createdAt.toISOString(), i: id })).toString('base64url');

async function run(): Promise<void> {
  const config = loadConfig();
  const pool = new pg.Pool({ connectionString: config.databaseUrl });
  const app = express();
  app.get('/v1/appeals/:id', async (req, res) => {
    const { rows } = await pool.query<{ body: unknown }>(`SELECT body FROM ${BASELINE_VIEWS_TABLE} WHERE id = $1`, [req.params.id]);
    if (rows.length === 0) res.status(404).end();
    else res.json(rows[0].body);
  });
  app.get('/v1/appeals', async (req, res) => {
    const limit = Number(req.query.limit ?? 25);
    const { rows } = await pool.query<{ body: unknown; created_at: Date; id: string }>(
      `SELECT body, created_at, id FROM ${BASELINE_LIST_TABLE} WHERE status = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [req.query.status, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({ items: page.map((row) => row.body), nextCursor: rows.length > limit && last ? cursorOf(last.created_at, last.id) : null, previousCursor: null });
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
