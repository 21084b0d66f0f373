import type { DataSource } from 'typeorm';
import type { Policy } from '../domain/policy';
import { DepartmentEntity, PolicyVersionEntity } from './entities';

export interface DepartmentView {
  code: string;
  name: string;
  policyVersion: number;
  policy: Policy;
}

export async function departmentExists(dataSource: DataSource, code: string): Promise<boolean> {
  return dataSource.manager.exists(DepartmentEntity, { where: { code } });
}

export async function listDepartments(dataSource: DataSource): Promise<DepartmentView[]> {
  const rows = await dataSource.query<{ code: string; name: string; version: number; policy: Policy }[]>(`
    SELECT d.code, d.name, p.version, p.policy
    FROM departments d
    JOIN LATERAL (SELECT version, policy FROM policy_versions WHERE department_code = d.code ORDER BY version DESC LIMIT 1) p ON true
    ORDER BY d.code`);
  return rows.map((r) => ({ code: r.code, name: r.name, policyVersion: r.version, policy: r.policy }));
}

/** Replace a department's policy: a new version, used by appeals opened from now on. */
export async function replacePolicy(
  dataSource: DataSource,
  code: string,
  policy: Policy,
  by: string,
): Promise<DepartmentView | null> {
  return dataSource.transaction(async (db) => {
    const department = await db.findOne(DepartmentEntity, { where: { code }, lock: { mode: 'pessimistic_write' } });
    if (!department) return null;
    const latest = await db.findOne(PolicyVersionEntity, { where: { departmentCode: code }, order: { version: 'DESC' } });
    const version = (latest?.version ?? 0) + 1;
    await db.insert(PolicyVersionEntity, { departmentCode: code, version, policy, createdBy: by });
    return { code, name: department.name, policyVersion: version, policy };
  });
}

/** Add a department with its first policy; null when the code is taken. */
export async function createDepartment(
  dataSource: DataSource,
  department: { code: string; name: string; policy: Policy },
  by: string,
): Promise<DepartmentView | null> {
  return dataSource.transaction(async (db) => {
    const inserted = await db
      .createQueryBuilder()
      .insert()
      .into(DepartmentEntity)
      .values({ code: department.code, name: department.name })
      .orIgnore()
      .returning('code')
      .execute();
    if ((inserted.raw as unknown[]).length === 0) return null;
    await db.insert(PolicyVersionEntity, { departmentCode: department.code, version: 1, policy: department.policy, createdBy: by });
    return { code: department.code, name: department.name, policyVersion: 1, policy: department.policy };
  });
}
