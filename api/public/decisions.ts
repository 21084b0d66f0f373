/** Decided appeals with their reasons, and the Atom feed of decisions and policy versions. */
import { CRITERIA, DECISION_OUTCOMES } from '../../domain/decision';
import { GROUNDS_OF_APPEAL } from '../../domain/appeal';
import { callsOf } from '../calls';
import { departmentCode, isoInstant, NoQuerySchema, text, z } from '../schemas';
import { atomFeed, publicDecisionOf, publicDecisions, type PublicDeps } from './register';

const call = callsOf<PublicDeps>();
const tag = 'Public register';

const score = z.int();
export const PublicDecisionSchema = z
  .object({
    reference: z.string(),
    department: z.object({ code: z.string(), name: z.string() }),
    parentBody: z.string().openapi({ description: 'The parent body (an organisation)' }),
    proposedMutual: z.object({ name: z.string(), service: z.string() }),
    groundsOfAppeal: z.enum(GROUNDS_OF_APPEAL),
    outcome: z.enum(DECISION_OUTCOMES),
    assessment: z.object({ ...Object.fromEntries(CRITERIA.map((c) => [c, score])), total: score }).openapi({ description: 'The five scores (0-5) and their total' }),
    thresholds: z.object({ minimumEach: z.int(), minimumTotal: z.int(), maximumEach: z.int() }),
    reasons: z.string(),
    arbiter: z.string().nullable().openapi({ description: "The arbiter's register name, if the administrator published it" }),
    decidedAt: isoInstant,
    policyVersion: z.int(),
    compliance: z.enum(['complied', 'awaiting_compliance', 'overdue']).nullable().openapi({ description: 'For an overrule, whether the parent body has carried it out; null for a dismissal' }),
  })
  .openapi('PublicDecision');

export const DecisionQuerySchema = z.strictObject({
  department: departmentCode.optional(),
  outcome: z.enum(DECISION_OUTCOMES).optional(),
  year: z.coerce.number().int().min(2000).max(2199).optional().openapi({ description: 'The UK calendar year of the decision' }),
  q: text(200).optional().openapi({ description: 'Words to find in the reference, parent body, proposed mutual, service or reasons' }),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export const decisionCalls = [
  call({
    method: 'get',
    path: '/v1/public/decisions',
    tag,
    operationId: 'publicDecisions',
    summary: 'Decided appeals, newest first, with their scores and reasons; filtered and searched',
    description: 'No personal data: no names or email addresses of appellants, managers or arbiters.',
    roles: 'anyone',
    request: { query: DecisionQuerySchema },
    success: {
      status: 200,
      description: 'One page of decisions',
      schema: z.object({ items: z.array(PublicDecisionSchema), total: z.int(), page: z.int(), pageSize: z.int() }).openapi('PublicDecisions'),
    },
    problems: [429],
    handle: async ({ query }, deps) => ({ body: await publicDecisions(deps, query) }),
  }),
  call({
    method: 'get',
    path: '/v1/public/decisions/{reference}',
    tag,
    operationId: 'publicDecision',
    summary: 'One decided appeal',
    roles: 'anyone',
    request: { params: z.strictObject({ reference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/).openapi({ example: 'MUT-2026-000042' }) }), query: NoQuerySchema },
    success: { status: 200, description: 'The decision', schema: PublicDecisionSchema },
    problems: [404, 429],
    handle: async ({ params }, deps) => ({ body: await publicDecisionOf(deps, params.reference) }),
  }),
  call({
    method: 'get',
    path: '/v1/public/feed.atom',
    tag,
    operationId: 'publicFeed',
    summary: 'Atom feed of new decisions and policy versions',
    roles: 'anyone',
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'An Atom 1.0 feed', contentType: 'application/atom+xml', schema: z.string() },
    problems: [429],
    handle: async (_input, deps) => ({ headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' }, body: await atomFeed(deps, deps.config.publicUrl) }),
  }),
];
