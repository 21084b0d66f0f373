import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of the pages (express-session with connect-pg-simple, which reads and writes exactly
 * these columns): `sess` holds the signed-in person and the CSRF token, `expire` the end of the
 * idle timeout. Rows past `expire` are never read and are pruned at each sign-in.
 */
export class WebSessions1764220000000 implements MigrationInterface {
  name = 'WebSessions1764220000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE web_sessions (
        sid varchar NOT NULL PRIMARY KEY,
        sess json NOT NULL,
        expire timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX web_sessions_expire_idx ON web_sessions (expire)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS web_sessions`);
  }
}
