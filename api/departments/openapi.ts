import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { documentCall } from '../openapi';
import { NoQuerySchema } from '../schemas';
import { DepartmentParamsSchema, DepartmentsSchema, DepartmentViewSchema, NewDepartmentSchema, PolicyPreviewSchema, PolicySchema } from './schemas';

export function registerDepartmentCalls(registry: OpenAPIRegistry): void {
  const tag = 'Departments';
  documentCall(registry, {
    method: 'get',
    path: '/v1/departments',
    tag,
    operationId: 'listDepartments',
    summary: 'Departments and the policies in force',
    who: ['caseworker', 'manager', 'arbiter', 'admin'],
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'Every department, by code', schema: DepartmentsSchema },
    problems: [400],
  });
  documentCall(registry, {
    method: 'post',
    path: '/v1/departments',
    tag,
    operationId: 'createDepartment',
    summary: 'Add a department',
    description: 'A code already in use is refused with 409.',
    who: ['admin'],
    request: { query: NoQuerySchema, body: NewDepartmentSchema },
    success: { status: 201, description: 'The department, with policy version 1', schema: DepartmentViewSchema },
    problems: [403, 409],
  });
  documentCall(registry, {
    method: 'put',
    path: '/v1/departments/{code}/policy',
    tag,
    operationId: 'replacePolicy',
    summary: "Replace a department's policy",
    description: 'Creates the next policy version, used by appeals opened from now on; open appeals keep theirs.',
    who: ['admin'],
    request: { params: DepartmentParamsSchema, query: NoQuerySchema, body: PolicySchema },
    success: { status: 200, description: 'The department with its new policy version', schema: DepartmentViewSchema },
    problems: [403, 404],
  });  documentCall(registry, {
    method: 'post',
    path: '/v1/departments/{code}/policy/preview',
    tag,
    operationId: 'previewPolicy',
    summary: 'What a policy would make of an appeal submitted now',
    description:
      "Computes, with the same deadline code as the engine, the deadlines the policy would give an appeal submitted now: the manager's response, " +
      'and each later deadline as if its stage began now, each with its reminders and explanation. Changes nothing.',
    who: ['admin'],
    request: { params: DepartmentParamsSchema, query: NoQuerySchema, body: PolicySchema },
    success: { status: 200, description: 'The deadlines the policy would set', schema: PolicyPreviewSchema },
    problems: [403, 404],
  });
}
