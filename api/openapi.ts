/**
 * Documenting calls in the OpenAPI 3.1 document (assembled in api/docs.ts). Each feature registers
 * its own calls (api/<feature>/openapi.ts) through `documentCall`, which adds the problem answers
 * every call shares, so the document lists every status a call can answer.
 */
import http from 'node:http';
import type { OpenAPIRegistry, OpenApiGeneratorV31, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import type { Role } from '../domain/appeal';
import { BODY_LIMIT_BYTES } from './errors';
import { ProblemSchema } from './schemas';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export const PROBLEM_STATUSES = {
  400: 'Malformed or invalid input (HTTP, JSON syntax, types, ranges, enum values, unknown fields); `errors` names each field problem',
  401: 'No bearer token, or one that is invalid, unsigned or expired',
  403: "The caller's role may not make this call",
  404: 'No such resource; an appeal the caller may not see answers 404 exactly as a missing one',
  408: 'The request took too long to arrive',
  409: "The action does not fit the appeal's current status",
  413: `The body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
  415: 'The body is not JSON (send Content-Type: application/json, UTF-8)',
  422: 'A business rule refused it; `detail` says which',
  429: 'Rate limited: try again after Retry-After seconds',
  431: `The header block is larger than ${http.maxHeaderSize / 1024} KiB`,
  503: 'A dependency (PostgreSQL, Temporal or the identity provider) is down; try again shortly',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_STATUSES;

export interface CallDoc {
  method: RouteConfig['method'];
  /** OpenAPI style: /v1/appeals/{id} */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles allowed to make the call; 'anyone' needs no token. */
  who: readonly Role[] | 'anyone';
  request?: Omit<NonNullable<RouteConfig['request']>, 'body'> & { body?: ZodType };
  success: { status: number; description: string; schema?: ZodType; contentType?: string; headers?: Record<string, { description: string; schema: { type: 'string' } }> };
  /** Statuses this call answers besides success and the ones every /v1 call shares (401, 429, 503) or every call (400, 408, 431). */
  problems: readonly ProblemStatus[];
  /** Answers other than success that are not problems (readiness answers 503 with its own body). */
  otherAnswers?: Record<number, { description: string; schema: ZodType }>;
}

const problemResponse = (status: ProblemStatus) => ({
  description: PROBLEM_STATUSES[status],
  content: { 'application/problem+json': { schema: ProblemSchema } },
  ...(status === 429 || status === 503
    ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'string' as const } } } }
    : {}),
});

/** Register one call: its parameters, body, success answer and every problem it can answer. */
export function documentCall(registry: OpenAPIRegistry, call: CallDoc): void {
  const authenticated = call.who !== 'anyone';
  const statuses = new Set<ProblemStatus>(call.problems);
  [400, 408, 431].forEach((s) => statuses.add(s as ProblemStatus)); // the HTTP parser's refusals (api/client-errors.ts)
  if (authenticated) [401, 429, 503].forEach((s) => statuses.add(s as ProblemStatus));
  if (call.request?.body) [400, 413, 415].forEach((s) => statuses.add(s as ProblemStatus));
  const { body, ...parameters } = call.request ?? {};
  const who = call.who === 'anyone' ? 'anyone, no token needed' : call.who.join(', ');
  registry.registerPath({
    method: call.method,
    path: call.path,
    operationId: call.operationId,
    summary: call.summary,
    description: `${call.description ? `${call.description}\n\n` : ''}**Who:** ${who}.`,
    tags: [call.tag],
    security: authenticated ? [{ bearer: [] }] : [],
    'x-roles': call.who === 'anyone' ? [] : [...call.who],
    request: {
      ...parameters,
      ...(body ? { body: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    },
    responses: {
      [call.success.status]: {
        description: call.success.description,
        ...(call.success.headers ? { headers: call.success.headers } : {}),
        ...(call.success.schema ? { content: { [call.success.contentType ?? 'application/json']: { schema: call.success.schema } } } : {}),
      },
      ...Object.fromEntries([...statuses].sort().map((status) => [status, problemResponse(status)])),
      ...Object.fromEntries(
        Object.entries(call.otherAnswers ?? {}).map(([status, answer]) => [
          status,
          { description: answer.description, content: { 'application/json': { schema: answer.schema } } },
        ]),
      ),
    },
  });
}

/** A path template (/v1/appeals/{id}) as an Express route pattern (/v1/appeals/:id). */
export const expressPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

/** Matches a request path to the document's path template it belongs to: the label of a metric. */
export function pathTemplates(document: OpenApiDocument): (path: string) => string | undefined {
  const templates = Object.keys(document.paths ?? {}).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}/?$`),
  }));
  return (path) => templates.find(({ pattern }) => pattern.test(path))?.template;
}
