import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case records. Tables are created unqualified: the data source sets `search_path` to the
 * configured schema.
 */
export class InitialSchema1764190000000 implements MigrationInterface {
  name = 'InitialSchema1764190000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE departments (
        code varchar(16) PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE policy_versions (
        department_code varchar(16) NOT NULL REFERENCES departments(code),
        version integer NOT NULL CHECK (version > 0),
        policy jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_code, version)
      )`);
    await db.query(`
      CREATE TABLE arbiters (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        department varchar(16) REFERENCES departments(code),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE SEQUENCE appeal_reference_seq`);
    await db.query(`
      CREATE TABLE appeals (
        id uuid PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        status varchar(32) NOT NULL,
        department_code varchar(16) NOT NULL REFERENCES departments(code),
        policy_version integer NOT NULL,
        policy jsonb NOT NULL,
        parent_body jsonb NOT NULL,
        appellant jsonb NOT NULL,
        proposed_mutual jsonb NOT NULL,
        grounds_of_appeal varchar(32) NOT NULL,
        request_submitted_on date NOT NULL,
        business_case_summary text NOT NULL,
        manager_defaulted boolean NOT NULL DEFAULT false,
        arbiter_id text,
        hearing jsonb,
        manager_response_due timestamptz,
        hearing_due timestamptz,
        decision_due timestamptz,
        compliance_due timestamptz,
        overdue boolean NOT NULL DEFAULT false,
        last_seq integer NOT NULL DEFAULT 0,
        last_hash text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        FOREIGN KEY (department_code, policy_version) REFERENCES policy_versions(department_code, version)
      )`);
    await db.query(`CREATE INDEX appeals_page_idx ON appeals (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX appeals_status_page_idx ON appeals (status, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX appeals_department_page_idx ON appeals (department_code, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX appeals_arbiter_page_idx ON appeals (arbiter_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX appeals_overdue_idx ON appeals (created_at DESC, id DESC) WHERE overdue`);

    await db.query(`
      CREATE TABLE appeal_deadlines (
        appeal_id uuid NOT NULL REFERENCES appeals(id),
        kind varchar(32) NOT NULL,
        due_at timestamptz NOT NULL,
        state varchar(16) NOT NULL,
        reminder_ats jsonb NOT NULL,
        explanation jsonb NOT NULL,
        extensions jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (appeal_id, kind)
      )`);

    await db.query(`
      CREATE TABLE decisions (
        appeal_id uuid PRIMARY KEY REFERENCES appeals(id),
        outcome varchar(16) NOT NULL,
        assessment jsonb NOT NULL,
        reasons text NOT NULL,
        arbiter_id text NOT NULL,
        decided_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE FUNCTION refuse_decision_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'decision of appeal % is binding and final: % refused', OLD.appeal_id, TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER decisions_are_final BEFORE UPDATE OR DELETE ON decisions
      FOR EACH ROW EXECUTE FUNCTION refuse_decision_change()`);

    await db.query(`
      CREATE TABLE timeline_events (
        appeal_id uuid NOT NULL REFERENCES appeals(id),
        seq integer NOT NULL CHECK (seq > 0),
        step_key text NOT NULL,
        type varchar(48) NOT NULL,
        actor_sub text NOT NULL,
        actor_role varchar(16) NOT NULL,
        at timestamptz NOT NULL,
        data jsonb NOT NULL,
        hash char(64) NOT NULL,
        PRIMARY KEY (appeal_id, seq),
        UNIQUE (appeal_id, step_key)
      )`);
    await db.query(`
      CREATE FUNCTION refuse_timeline_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the timeline is append-only: % refused', TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER timeline_is_append_only BEFORE UPDATE OR DELETE ON timeline_events
      FOR EACH ROW EXECUTE FUNCTION refuse_timeline_change()`);

    await db.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        appeal_id uuid NOT NULL REFERENCES appeals(id),
        dedupe_key text NOT NULL UNIQUE,
        kind varchar(48) NOT NULL,
        deadline_kind varchar(32),
        recipient text NOT NULL,
        recipient_role varchar(16) NOT NULL,
        due_at timestamptz,
        status varchar(16) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        provider_message_id text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX notifications_appeal_idx ON notifications (appeal_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['notifications', 'timeline_events', 'decisions', 'appeal_deadlines', 'appeals', 'arbiters', 'policy_versions', 'departments']) {
      await db.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
    await db.query(`DROP SEQUENCE IF EXISTS appeal_reference_seq`);
    await db.query(`DROP FUNCTION IF EXISTS refuse_decision_change()`);
    await db.query(`DROP FUNCTION IF EXISTS refuse_timeline_change()`);
  }
}
