import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { documentCall } from '../openapi';
import { NoQuerySchema } from '../schemas';
import { DepartmentParamsSchema, DepartmentsSchema, DepartmentViewSchema, NewDepartmentSchema, PolicySchema } from './schemas';

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
  });
}
