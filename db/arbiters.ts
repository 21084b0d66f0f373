import type { DataSource } from 'typeorm';
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

export async function findArbiter(dataSource: DataSource, id: string): Promise<Arbiter | null> {
  const row = await dataSource.manager.findOne(ArbiterEntity, { where: { id } });
  return row ? { id: row.id, name: row.name, email: row.email, department: row.department } : null;
}
