import type { DataSource, EntityManager } from 'typeorm';
import { TERMINAL_STATUSES } from '../domain/lifecycle';
import { ArbiterEntity } from './entities';

/** An arbiter as the register holds them; `id` is their token `sub`. */
export interface Arbiter {
  id: string;
  name: string;
  email: string;
  department: string | null;
}

/** Add an arbiter to the register: false when the id is already registered (nothing changes). */
export async function registerArbiter(dataSource: DataSource, arbiter: Arbiter): Promise<boolean> {
  const inserted = await dataSource.createQueryBuilder().insert().into(ArbiterEntity).values(arbiter).orIgnore().returning('id').execute();
  return (inserted.raw as unknown[]).length > 0;
}

/** Publish an arbiter on the register under `publicName`, or stop (null); false when there is no such arbiter. */
export async function publishArbiter(dataSource: DataSource, id: string, publicName: string | null): Promise<boolean> {
  const result = await dataSource.getRepository(ArbiterEntity).update({ id }, { publicName });
  return (result.affected ?? 0) > 0;
}

export async function findArbiter(db: DataSource | EntityManager, id: string): Promise<Arbiter | null> {
  const row = await db.getRepository(ArbiterEntity).findOne({ where: { id } });
  return row ? { id: row.id, name: row.name, email: row.email, department: row.department } : null;
}

/** An arbiter of the register with their caseload: the appeals assigned to them that are not yet closed. */
export interface RegisteredArbiter extends Arbiter {
  openAppeals: number;
}

/** The whole register, by id, each arbiter with their open caseload. */
export async function arbiterRegister(dataSource: DataSource): Promise<RegisteredArbiter[]> {
  const rows = await dataSource.query<(Arbiter & { openAppeals: number })[]>(
    `SELECT r.id, r.name, r.email, r.department,
            (SELECT count(*)::int FROM appeals a WHERE a.arbiter_id = r.id AND NOT (a.status = ANY($1::text[]))) AS "openAppeals"
     FROM arbiters r
     ORDER BY r.id`,
    [TERMINAL_STATUSES],
  );
  return rows.map(({ id, name, email, department, openAppeals }) => ({ id, name, email, department, openAppeals }));
}
