import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An appeal has at most one decision letter: the engine makes it once from the recorded decision,
 * and a second one (a retried or racing recording) is refused here as well as by the recording.
 */
export class DecisionLetters1764270000000 implements MigrationInterface {
  name = 'DecisionLetters1764270000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE UNIQUE INDEX documents_one_decision_letter ON documents (appeal_id) WHERE category = 'decision_letter'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS documents_one_decision_letter`);
  }
}
