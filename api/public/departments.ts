/** Departments, their policies in plain English with every earlier version, and their guidance for parent bodies. */
import { callsOf } from '../calls';
import { PolicyViewSchema } from '../departments/schemas';
import { departmentCode, isoInstant, NoQuerySchema, z } from '../schemas';
import { publicDepartmentOf, publicDepartments, type PublicDeps } from './register';

const call = callsOf<PublicDeps>();
const tag = 'Public register';

const PublicPolicyVersionSchema = z
  .object({
    version: z.int().min(1),
    inForceFrom: isoInstant,
    inForceUntil: isoInstant.nullable().openapi({ description: 'When the next version replaced it; null for the version in force' }),
    policy: PolicyViewSchema,
    inPlainEnglish: z.array(z.string()).openapi({ description: 'The policy as anyone can follow it, one sentence each' }),
    changes: z.array(z.string()).openapi({ description: 'What changed from the version before, in words' }),
    guidance: z.object({ markdown: z.string(), html: z.string().openapi({ description: 'The Markdown rendered, HTML typed into it shown as text' }) }),
  })
  .openapi('PublicPolicyVersion');

const PublicDepartmentSchema = z
  .object({ code: z.string(), name: z.string(), policyInForce: PublicPolicyVersionSchema, versions: z.array(PublicPolicyVersionSchema) })
  .openapi('PublicDepartment');

export const departmentPublicCalls = [
  call({
    method: 'get',
    path: '/v1/public/departments',
    tag,
    operationId: 'publicDepartments',
    summary: 'Every department with its policy in force, every earlier version and its guidance for parent bodies',
    roles: 'anyone',
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'The departments, by code', schema: z.object({ items: z.array(PublicDepartmentSchema) }).openapi('PublicDepartments') },
    problems: [429],
    handle: async (_input, deps) => ({ body: { items: await publicDepartments(deps) } }),
  }),
  call({
    method: 'get',
    path: '/v1/public/departments/{code}',
    tag,
    operationId: 'publicDepartment',
    summary: "One department's policy, its versions and guidance",
    roles: 'anyone',
    request: { params: z.strictObject({ code: departmentCode }), query: NoQuerySchema },
    success: { status: 200, description: 'The department', schema: PublicDepartmentSchema },
    problems: [404, 429],
    handle: async ({ params }, deps) => ({ body: await publicDepartmentOf(deps, params.code) }),
  }),
];
