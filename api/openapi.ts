/**
 * The OpenAPI 3.1 paths of the call tables (api/calls.ts; the document is assembled in api/docs.ts):
 * `documentCalls` adds the problem answers every call of a kind shares, so the document lists every
 * status a call can answer.
 */
import http from 'node:http';
import type { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { ROLES } from '../domain/appeal';
import type { Call, MultipartBody } from './calls';
import { BODY_LIMIT_BYTES } from './errors';
import { ProblemSchema, z } from './schemas';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export const PROBLEM_STATUSES = {
  400: 'Malformed or invalid input (HTTP, JSON syntax, types, ranges, enum values, unknown fields); `errors` names each field problem',
  401: 'No bearer token, or one that is invalid, unsigned or expired',
  403: "The caller's role may not make this call",
  404: 'No such resource; an appeal the caller may not see answers 404 exactly as a missing one',
  408: 'The request took too long to arrive',
  409: "The action does not fit the appeal's current status",
  413: `The body is larger than ${BODY_LIMIT_BYTES / 1024} KiB (an uploaded file: larger than DOCUMENT_MAX_MB)`,
  415: 'The body is not JSON (send Content-Type: application/json, UTF-8); an upload: not multipart/form-data, or a file of a type not taken',
  422: 'A business rule refused it; `detail` says which',
  429: 'Rate limited: try again after Retry-After seconds',
  431: `The header block is larger than ${http.maxHeaderSize / 1024} KiB`,
  503: 'A dependency (PostgreSQL, Temporal or the identity provider) is down; try again shortly',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_STATUSES;

const stringHeader = (description: string) => ({ description, schema: { type: 'string' as const } });

const problemResponse = (status: ProblemStatus) => ({
  description: PROBLEM_STATUSES[status],
  content: { 'application/problem+json': { schema: ProblemSchema } },
  ...(status === 429 || status === 503
    ? { headers: { 'Retry-After': stringHeader('Seconds to wait before trying again') } }
    : {}),
});

/** Register each call: its parameters, body, success answer and every problem it can answer. */
export function documentCalls(registry: OpenAPIRegistry, calls: readonly Call<never>[]): void {
  for (const call of calls) documentCall(registry, call);
}

function documentCall(registry: OpenAPIRegistry, call: Call<never>): void {
  const { roles } = call;
  const authenticated = roles !== 'anyone';
  const statuses = new Set<ProblemStatus>(call.problems);
  [400, 408, 431].forEach((s) => statuses.add(s as ProblemStatus)); // the HTTP parser's refusals (api/client-errors.ts)
  if (authenticated) [401, 429, 503].forEach((s) => statuses.add(s as ProblemStatus));
  if (authenticated && ROLES.some((role) => !roles.includes(role))) statuses.add(403); // a role that may not make it
  if (call.request.body || call.request.multipart) [400, 413, 415].forEach((s) => statuses.add(s as ProblemStatus));
  const { body, multipart, ...parameters } = call.request;
  const who = authenticated ? roles.join(', ') : 'anyone, no token needed';
  const { success } = call;
  registry.registerPath({
    method: call.method,
    path: call.path,
    operationId: call.operationId,
    summary: call.summary,
    description: `${call.description ? `${call.description}\n\n` : ''}**Who:** ${who}.`,
    tags: [call.tag],
    security: authenticated ? [{ bearer: [] }] : [],
    'x-roles': authenticated ? [...roles] : [],
    request: {
      ...parameters,
      ...(body ? { body: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      ...(multipart ? { body: { required: true, content: { 'multipart/form-data': { schema: multipartSchema(multipart) } } } } : {}),
    },
    responses: {
      [success.status]: {
        description: success.description,
        ...(success.headers ? { headers: Object.fromEntries(Object.entries(success.headers).map(([name, says]) => [name, stringHeader(says)])) } : {}),
        ...(success.schema ? { content: Object.fromEntries((success.contentTypes ?? [success.contentType ?? 'application/json']).map((type) => [type, { schema: success.schema }])) } : {}),
      },
      ...Object.fromEntries([...statuses].sort().map((status) => [status, problemResponse(status)])),
      ...Object.fromEntries(
        Object.entries(call.otherAnswers ?? {}).map(([status, answer]) => [
          status,
          { description: answer.description, ...(answer.schema ? { content: { 'application/json': { schema: answer.schema } } } : {}) },
        ]),
      ),
    },
  });
}

/** A multipart body as OpenAPI describes one: its fields, then the file, as binary. */
function multipartSchema({ fields, file }: MultipartBody): z.ZodType {
  return fields.extend({ [file]: z.string().openapi({ format: 'binary', description: 'The file; sent after the fields' }) });
}

/** Matches a request path to the document's path template it belongs to: the label of a metric. */
export function pathTemplates(document: OpenApiDocument): (path: string) => string | undefined {
  const templates = Object.keys(document.paths ?? {}).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}/?$`),
  }));
  return (path) => templates.find(({ pattern }) => pattern.test(path))?.template;
}
