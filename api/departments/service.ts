import type { DataSource } from 'typeorm';
import { calendarInForce } from '../../db/calendars';
import { computeDeadline } from '../../domain/calendar';
import { DEADLINE_KINDS, DEFAULT_POLICY, type DeadlineKind, type Policy } from '../../domain/policy';
import { createDepartment, listDepartments, replacePolicy, type DepartmentView } from '../../db/departments';
import { ROLES, type DeadlineExplanation, type Role } from '../../domain/appeal';
import { assertRole } from '../auth/access';
import type { Caller } from '../context';
import { conflict, notFound } from '../errors';

/** Who may make each call about departments: the API's handlers and the pages check the same. */
export const DEPARTMENT_ROLES = {
  list: ROLES,
  create: ['admin'],
  replacePolicy: ['admin'],
  previewPolicy: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** What a policy would make of an appeal submitted at `submittedAt`, by the deadline code the workflow's activities use. */
export interface PolicyPreview {
  department: string;
  /** The version the policy would get. */
  policyVersion: number;
  submittedAt: string;
  /** The manager's response deadline from the submission; each later one as if its stage began then. */
  deadlines: { kind: DeadlineKind; dueAt: string; reminderAts: string[]; explanation: DeadlineExplanation }[];
}

/** Departments and their versioned policies, for the API and the pages alike. */
export class DepartmentService {
  constructor(private readonly dataSource: DataSource) {}

  async list(caller: Caller): Promise<DepartmentView[]> {
    assertRole(caller, DEPARTMENT_ROLES.list);
    return listDepartments(this.dataSource);
  }

  /** One department with its policy in force; 404 for a code that names none. */
  async find(caller: Caller, code: string): Promise<DepartmentView> {
    const department = (await this.list(caller)).find((d) => d.code === code);
    if (!department) throw notFound(`No department ${code}`);
    return department;
  }

  /** Add a department, with the standard policy unless one is given; 409 for a code in use. */
  async create(caller: Caller, department: { code: string; name: string; policy?: Policy }): Promise<DepartmentView> {
    assertRole(caller, DEPARTMENT_ROLES.create);
    const created = await createDepartment(this.dataSource, { ...department, policy: department.policy ?? DEFAULT_POLICY }, caller.sub);
    if (!created) throw conflict(`Department ${department.code} already exists`);
    return created;
  }

  /** Replace a department's policy with version n+1, for appeals opened from now on. */
  async replacePolicy(caller: Caller, code: string, policy: Policy): Promise<DepartmentView> {
    assertRole(caller, DEPARTMENT_ROLES.replacePolicy);
    const department = await replacePolicy(this.dataSource, code, { policy }, caller.sub);
    if (!department) throw notFound(`No department ${code}`);
    return department;
  }

  /** Replace a department's guidance for parent bodies (Markdown) with version n+1 of its policy, the periods unchanged. */
  async replaceGuidance(caller: Caller, code: string, guidance: string): Promise<DepartmentView> {
    assertRole(caller, DEPARTMENT_ROLES.replacePolicy);
    const department = await replacePolicy(this.dataSource, code, { guidance }, caller.sub);
    if (!department) throw notFound(`No department ${code}`);
    return department;
  }

  /** What `policy`, if it replaced the department's, would make of an appeal submitted at `now`. Changes nothing. */
  async previewPolicy(caller: Caller, code: string, policy: Policy, now = new Date()): Promise<PolicyPreview> {
    assertRole(caller, DEPARTMENT_ROLES.previewPolicy);
    const department = await this.find(caller, code);
    const policyVersion = department.policyVersion + 1;
    const holidays = await calendarInForce(this.dataSource);
    const deadlines = DEADLINE_KINDS.map((kind) => {
      const computed = computeDeadline({ policy, policyVersion, kind, start: now, holidays });
      return { kind, dueAt: computed.dueAt.toISOString(), reminderAts: computed.reminderAts.map((at) => at.toISOString()), explanation: computed.explanation };
    });
    return { department: code, policyVersion, submittedAt: now.toISOString(), deadlines };
  }
}
