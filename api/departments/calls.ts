/** The calls on departments and their deadline policies. */
import { callsOf } from '../calls';
import { NoQuerySchema } from '../schemas';
import { DepartmentParamsSchema, DepartmentsSchema, DepartmentViewSchema, GuidanceSchema, NewDepartmentSchema, PolicyPreviewSchema, PolicySchema } from './schemas';
import { DEPARTMENT_ROLES, type DepartmentService } from './service';

const call = callsOf<DepartmentService>();
const tag = 'Departments';

export const departmentCalls = [
  call({
    method: 'get',
    path: '/v1/departments',
    tag,
    operationId: 'listDepartments',
    summary: 'Departments and the policies in force',
    roles: DEPARTMENT_ROLES.list,
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'Every department, by code', schema: DepartmentsSchema },
    handle: async ({ caller }, departments) => ({ body: { items: await departments.list(caller) } }),
  }),
  call({
    method: 'post',
    path: '/v1/departments',
    tag,
    operationId: 'createDepartment',
    summary: 'Add a department',
    description: 'A code already in use is refused with 409.',
    roles: DEPARTMENT_ROLES.create,
    request: { query: NoQuerySchema, body: NewDepartmentSchema },
    success: { status: 201, description: 'The department, with policy version 1', schema: DepartmentViewSchema },
    problems: [409],
    async handle({ caller, body }, departments) {
      const department = await departments.create(caller, body);
      return { headers: { Location: `/v1/departments/${department.code}` }, body: department };
    },
  }),
  call({
    method: 'put',
    path: '/v1/departments/{code}/policy',
    tag,
    operationId: 'replacePolicy',
    summary: "Replace a department's policy",
    description: 'Creates the next policy version, used by appeals opened from now on; open appeals keep theirs.',
    roles: DEPARTMENT_ROLES.replacePolicy,
    request: { params: DepartmentParamsSchema, query: NoQuerySchema, body: PolicySchema },
    success: { status: 200, description: 'The department with its new policy version', schema: DepartmentViewSchema },
    problems: [404],
    handle: async ({ caller, params, body }, departments) => ({ body: await departments.replacePolicy(caller, params.code, body) }),
  }),
  call({
    method: 'put',
    path: '/v1/departments/{code}/guidance',
    tag,
    operationId: 'replaceGuidance',
    summary: "Replace a department's guidance for parent bodies",
    description: 'Creates the next policy version with this guidance (Markdown) and the periods in force; the register publishes every version.',
    roles: DEPARTMENT_ROLES.replacePolicy,
    request: { params: DepartmentParamsSchema, query: NoQuerySchema, body: GuidanceSchema },
    success: { status: 200, description: 'The department with its new policy version', schema: DepartmentViewSchema },
    problems: [404],
    handle: async ({ caller, params, body }, departments) => ({ body: await departments.replaceGuidance(caller, params.code, body.guidance) }),
  }),
  call({
    method: 'post',
    path: '/v1/departments/{code}/policy/preview',
    tag,
    operationId: 'previewPolicy',
    summary: 'What a policy would make of an appeal submitted now',
    description:
      "Computes, with the same deadline code as the engine, the deadlines the policy would give an appeal submitted now: the manager's response, " +
      'and each later deadline as if its stage began now, each with its reminders and explanation. Changes nothing.',
    roles: DEPARTMENT_ROLES.previewPolicy,
    request: { params: DepartmentParamsSchema, query: NoQuerySchema, body: PolicySchema },
    success: { status: 200, description: 'The deadlines the policy would set', schema: PolicyPreviewSchema },
    problems: [404],
    handle: async ({ caller, params, body }, departments) => ({ body: await departments.previewPolicy(caller, params.code, body) }),
  }),
];
