/** The calls on the arbiter register. */
import { callsOf } from '../calls';
import { NoQuerySchema } from '../schemas';
import { ArbiterParamsSchema, ArbiterPublicationSchema, ArbiterPublishedSchema, ArbiterRegistrationSchema, ArbitersSchema, ArbiterViewSchema } from './schemas';
import { ARBITER_ROLES, type ArbiterService } from './service';

const call = callsOf<ArbiterService>();
const tag = 'Arbiters';

export const arbiterCalls = [
  call({
    method: 'get',
    path: '/v1/arbiters',
    tag,
    operationId: 'listArbiters',
    summary: 'The arbiter register',
    roles: ARBITER_ROLES.list,
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'Every registered arbiter, by id, with their open caseload', schema: ArbitersSchema },
    handle: async ({ caller }, arbiters) => ({ body: { items: await arbiters.list(caller) } }),
  }),
  call({
    method: 'post',
    path: '/v1/arbiters',
    tag,
    operationId: 'registerArbiter',
    summary: 'Register an arbiter',
    description: 'An id already registered is refused with 409; an unknown department with 422.',
    roles: ARBITER_ROLES.register,
    request: { query: NoQuerySchema, body: ArbiterRegistrationSchema },
    success: { status: 201, description: 'The arbiter, registered', schema: ArbiterViewSchema },
    problems: [409, 422],
    handle: async ({ caller, body }, arbiters) => ({ body: await arbiters.register(caller, body) }),
  }),
  call({
    method: 'put',
    path: '/v1/arbiters/{id}/publication',
    tag,
    operationId: 'publishArbiter',
    summary: "Publish an arbiter's register name on their decisions",
    description: 'Unpublished arbiters (the default) appear on the public register as "an independent arbiter". Their name and email address are never published.',
    roles: ARBITER_ROLES.publish,
    request: { params: ArbiterParamsSchema, query: NoQuerySchema, body: ArbiterPublicationSchema },
    success: { status: 200, description: 'The arbiter and the name now published', schema: ArbiterPublishedSchema },
    problems: [404],
    handle: async ({ caller, params, body }, arbiters) => ({ body: await arbiters.publish(caller, params.id, body.publicName) }),
  }),
  call({
    method: 'delete',
    path: '/v1/arbiters/{id}/publication',
    tag,
    operationId: 'unpublishArbiter',
    summary: "Stop publishing an arbiter's register name",
    description: 'Their decisions show "an independent arbiter" again.',
    roles: ARBITER_ROLES.publish,
    request: { params: ArbiterParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: 'The arbiter, no longer published', schema: ArbiterPublishedSchema },
    problems: [404],
    handle: async ({ caller, params }, arbiters) => ({ body: await arbiters.publish(caller, params.id, null) }),
  }),
];
