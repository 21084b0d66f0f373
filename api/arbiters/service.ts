import type { DataSource } from 'typeorm';
import { arbiterRegister, publishArbiter, registerArbiter, type Arbiter, type RegisteredArbiter } from '../../db/arbiters';
import { departmentExists } from '../../db/departments';
import type { Role } from '../../domain/appeal';
import { assertRole } from '../auth/access';
import type { Caller } from '../context';
import { conflict, notFound, unprocessable } from '../errors';

/** Who may make each call about the arbiter register: the API's handlers and the pages check the same. */
export const ARBITER_ROLES = {
  list: ['caseworker', 'admin'],
  register: ['admin'],
  publish: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

const view = (a: Arbiter): Arbiter => ({ id: a.id, name: a.name, email: a.email, department: a.department });

/** The arbiter register, for the API and the pages alike. */
export class ArbiterService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every registered arbiter, by id, each with their open caseload. */
  async list(caller: Caller): Promise<RegisteredArbiter[]> {
    assertRole(caller, ARBITER_ROLES.list);
    return arbiterRegister(this.dataSource);
  }

  /** Register an arbiter: 409 for an id already registered, 422 for an unknown home department. */
  async register(caller: Caller, registration: { id: string; name: string; email: string; department?: string }): Promise<Arbiter> {
    assertRole(caller, ARBITER_ROLES.register);
    if (registration.department && !(await departmentExists(this.dataSource, registration.department))) {
      throw unprocessable(`There is no department ${registration.department}`, [{ path: 'body.department', message: 'unknown department' }]);
    }
    const arbiter = { ...registration, department: registration.department ?? null };
    if (!(await registerArbiter(this.dataSource, arbiter))) {
      throw conflict(`Arbiter ${registration.id} is already registered`);
    }
    return view(arbiter);
  }

  /** Show an arbiter on the public register's decisions under a register name, or no longer (null); 404 for an unknown id. */
  async publish(caller: Caller, id: string, publicName: string | null): Promise<{ id: string; publicName: string | null }> {
    assertRole(caller, ARBITER_ROLES.publish);
    if (!(await publishArbiter(this.dataSource, id, publicName))) throw notFound('No such arbiter in the register');
    return { id, publicName };
  }
}
