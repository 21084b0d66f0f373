/**
 * One declaration per API call. Each feature lists its calls in a table (api/<feature>/calls.ts):
 * method, path, roles, request schemas, answers and handler. `callRouter` builds the Express routes
 * from a table and `documentCalls` (api/openapi.ts) the OpenAPI document, so the roles, inputs and
 * answers the document shows are the ones the API enforces.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Role } from '../domain/appeal';
import { requireRole } from './auth/access';
import type { Caller } from './context';
import type { ProblemStatus } from './openapi';
import { receiveFile, requireMultipart, type IncomingFile } from './multipart';
import { route } from './route';
import { parse } from './validation';

type Shape = z.ZodObject | undefined;
type Body = z.ZodType | undefined;
type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;
type Who = readonly Role[] | 'anyone';

/** What a call reads besides its token; each part is checked against its schema (400 otherwise). */
export interface CallRequest<P extends Shape = Shape, Q extends Shape = Shape, H extends Shape = Shape, B extends Body = Body> {
  params?: P;
  query?: Q;
  /** Header names as the schema's keys (read case-insensitively). */
  headers?: H;
  body?: B;
  /** A multipart/form-data body instead of JSON: its fields (sent first) and the name of its one file field. */
  multipart?: MultipartBody;
}

export interface MultipartBody {
  fields: z.ZodObject;
  file: string;
}

/** A multipart body, read only when the handler asks, as it arrives: the fields, then the file as a stream. */
export interface Upload {
  receive(maxBytes: number): Promise<IncomingFile>;
}

/** What a handler gets: the caller (for calls that need a token) and the request, parsed. */
export interface CallInput<R extends Who, P, Q, H, B> {
  caller: R extends 'anyone' ? undefined : Caller;
  params: Parsed<P>;
  query: Parsed<Q>;
  headers: Parsed<H>;
  body: Parsed<B>;
  /** Present when the call takes a multipart body. */
  upload?: Upload;
}

/** A body that is JSON text already (a case record as stored): answered as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** What a handler answers: the body (a stream is piped, JsonText sent as it is), with a status and headers where they differ from the call's success. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface Call<Deps> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: /v1/appeals/{id} */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Roles allowed to make the call (403 for any other); 'anyone' needs no token. */
  roles: Who;
  request: CallRequest;
  success: {
    status: number;
    description: string;
    schema?: z.ZodType;
    /** Other than JSON: the handler answers a string and sets its Content-Type. */
    contentType?: string;
    /** A stream answered in one of these types (the handler sets which): documented with `schema` under each. */
    contentTypes?: readonly string[];
    /** Headers of the answer, by name: what each says. */
    headers?: Record<string, string>;
  };
  /**
   * Statuses this call answers besides success and those every call of its kind shares (see
   * `documentCalls`); 403 follows from `roles`.
   */
  problems: readonly ProblemStatus[];
  /** Answers other than success that are not problems (readiness answers 503 with its own body; a 304 has none). */
  otherAnswers?: Record<number, { description: string; schema?: z.ZodType }>;
  handle: (input: ParsedInput, deps: Deps) => Answer | Promise<Answer>;
}

/** A handler's input as the router passes it, before `call` gives it the types of the call's schemas. */
interface ParsedInput {
  caller: Caller | undefined;
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
  upload?: Upload;
}

type Declaration<Deps, R extends Who, P extends Shape, Q extends Shape, H extends Shape, B extends Body> = Omit<
  Call<Deps>,
  'roles' | 'request' | 'problems' | 'handle'
> & {
  roles: R;
  request?: CallRequest<P, Q, H, B>;
  problems?: readonly ProblemStatus[];
  handle: (input: CallInput<R, P, Q, H, B>, deps: Deps) => Answer | Promise<Answer>;
};

/** The `call` of a feature whose handlers use `Deps` (its service): declares one call, typed by its schemas. */
export const callsOf =
  <Deps>() =>
  <R extends Who, P extends Shape = undefined, Q extends Shape = undefined, H extends Shape = undefined, B extends Body = undefined>(
    declaration: Declaration<Deps, R, P, Q, H, B>,
  ): Call<Deps> => ({
    ...declaration,
    request: declaration.request ?? {},
    problems: declaration.problems ?? [],
    // The router parsed the input with these very schemas and checked the roles, so it has these types.
    handle: (input, deps) => declaration.handle(input as CallInput<R, P, Q, H, B>, deps),
  });

/** A path template (/v1/appeals/{id}) as an Express route pattern (/v1/appeals/:id). */
export const expressPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

/** The routes of `calls`, for a router mounted at `mount` (the calls' paths start with it). */
export function callRouter<Deps>(calls: readonly Call<Deps>[], deps: Deps, mount = ''): Router {
  const router = Router();
  for (const call of calls) {
    if (!call.path.startsWith(`${mount}/`)) throw new Error(`${call.operationId}: ${call.path} is not under ${mount}`);
    router[call.method](
      expressPath(call.path.slice(mount.length)),
      route(async (req, res) => answer(res, call, await call.handle(inputOf(req, call), deps))),
    );
  }
  return router;
}

/** Authorise, then parse the path, query, headers and body, in that order: the first refusal answers. */
function inputOf(req: Request, call: Call<never>): ParsedInput {
  const { params, query, headers, body, multipart } = call.request;
  return {
    caller: call.roles === 'anyone' ? undefined : requireRole(req, ...call.roles),
    params: params && parse(params, req.params, 'path'),
    query: query && parse(query, req.query, 'query'),
    headers: headers && parse(headers, Object.fromEntries(Object.keys(headers.shape).map((name) => [name, req.get(name)])), 'header'),
    body: body && parse(body, req.body),
    upload: multipart && uploadOf(req, multipart),
  };
}

/** A multipart body (415 for any other), to be read when the handler asks. */
function uploadOf(req: Request, multipart: MultipartBody): Upload {
  requireMultipart(req);
  return { receive: (maxBytes) => receiveFile(req, multipart.file, maxBytes) };
}

async function answer(res: Response, call: Call<never>, { status = call.success.status, headers, body }: Answer): Promise<void> {
  if (status !== call.success.status && !call.otherAnswers?.[status]) throw new Error(`${call.operationId} answered ${status}, which it does not document`);
  res.status(status);
  if (headers) res.set(headers);
  if (body instanceof Readable) await pipeline(body, res);
  else if (body instanceof JsonText) res.type('application/json').send(body.text);
  else if (call.success.contentType) res.send(body);
  else res.json(body);
}
