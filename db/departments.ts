import type { DataSource } from 'typeorm';
import type { Policy } from '../domain/policy';
import { DepartmentEntity, PolicyVersionEntity } from './entities';

export interface DepartmentView {
  code: string;
  name: string;
  policyVersion: number;
  policy: Policy;
  /** Guidance for parent bodies, in Markdown; versioned with the policy. */
  guidance: string;
}

export async function departmentExists(dataSource: DataSource, code: string): Promise<boolean> {
  return dataSource.manager.exists(DepartmentEntity, { where: { code } });
}

export async function listDepartments(dataSource: DataSource): Promise<DepartmentView[]> {
  const rows = await dataSource.query<{ code: string; name: string; version: number; policy: Policy; guidance: string }[]>(`
    SELECT d.code, d.name, p.version, p.policy, p.guidance
    FROM departments d
    JOIN LATERAL (SELECT version, policy, guidance FROM policy_versions WHERE department_code = d.code ORDER BY version DESC LIMIT 1) p ON true
    ORDER BY d.code`);
  return rows.map((r) => ({ code: r.code, name: r.name, policyVersion: r.version, policy: r.policy, guidance: r.guidance }));
}

/**
 * The next version of a department's policy, used by appeals opened from now on: a new policy, or
 * new guidance for parent bodies, each keeping the other from the version in force.
 */
export async function replacePolicy(
  dataSource: DataSource,
  code: string,
  change: { policy?: Policy; guidance?: string },
  by: string,
): Promise<DepartmentView | null> {
  return dataSource.transaction(async (db) => {
    const department = await db.findOne(DepartmentEntity, { where: { code }, lock: { mode: 'pessimistic_write' } });
    if (!department) return null;
    const latest = await db.findOneOrFail(PolicyVersionEntity, { where: { departmentCode: code }, order: { version: 'DESC' } });
    const next = { policy: change.policy ?? latest.policy, guidance: change.guidance ?? latest.guidance };
    const version = latest.version + 1;
    await db.insert(PolicyVersionEntity, { departmentCode: code, version, ...next, createdBy: by });
    return { code, name: department.name, policyVersion: version, ...next };
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
    return { code: department.code, name: department.name, policyVersion: 1, policy: department.policy, guidance: '' };
  });
}
