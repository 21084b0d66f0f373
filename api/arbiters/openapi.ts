import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { documentCall } from '../openapi';
import { NoQuerySchema } from '../schemas';
import { ArbiterRegistrationSchema, ArbitersSchema, ArbiterViewSchema } from './schemas';

export function registerArbiterCalls(registry: OpenAPIRegistry): void {
  documentCall(registry, {
    method: 'get',
    path: '/v1/arbiters',
    tag: 'Arbiters',
    operationId: 'listArbiters',
    summary: 'The arbiter register',
    who: ['caseworker', 'admin'],
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'Every registered arbiter, by id, with their open caseload', schema: ArbitersSchema },
    problems: [400, 403],
  });
  documentCall(registry, {
    method: 'post',
    path: '/v1/arbiters',
    tag: 'Arbiters',
    operationId: 'registerArbiter',
    summary: 'Register an arbiter',
    description: 'An id already registered is refused with 409; an unknown department with 422.',
    who: ['admin'],
    request: { query: NoQuerySchema, body: ArbiterRegistrationSchema },
    success: { status: 201, description: 'The arbiter, registered', schema: ArbiterViewSchema },
    problems: [403, 409, 422],
  });
}
