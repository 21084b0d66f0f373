/**
 * A call declared once (api/calls.ts): the router built from it authorises and parses as the
 * declaration says, and the document built from it shows the same roles, inputs and answers.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { expect } from 'chai';
import express from 'express';
import { callRouter, callsOf } from '../../api/calls';
import type { Caller } from '../../api/context';
import { errorHandler } from '../../api/errors';
import { documentCalls } from '../../api/openapi';
import { IdempotencyHeadersSchema, z } from '../../api/schemas';

const call = callsOf<{ answer: number }>();
const greet = call({
  method: 'post',
  path: '/v1/things/{name}',
  tag: 'Things',
  operationId: 'greet',
  summary: 'Greet a thing',
  roles: ['admin'],
  request: {
    params: z.strictObject({ name: z.string().regex(/^[a-z]+$/) }),
    query: z.strictObject({}),
    headers: IdempotencyHeadersSchema,
    body: z.strictObject({ times: z.int().min(1) }),
  },
  success: { status: 201, description: 'Greeted', schema: z.object({ text: z.string() }), headers: { Location: 'The greeting' } },
  handle({ caller, params, headers, body }, { answer }) {
    const text = `${caller.sub} greets ${params.name} ${body.times} times (${answer}, ${headers['Idempotency-Key'] ?? 'no key'})`;
    return { status: body.times > 9 ? 500 : undefined, headers: { Location: `/v1/things/${params.name}` }, body: { text } };
  },
});

describe('a call declared once', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const app = express();
    app.use(express.json());
    app.use((req, _res, next) => {
      req.id = 'test';
      const role = req.get('x-role');
      if (role) req.caller = { sub: 'someone', role } as Caller;
      next();
    });
    app.use('/v1', callRouter([greet], { answer: 42 }, '/v1'));
    app.use(errorHandler);
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };

  it('refuses a role it does not list with 403, before reading the request', async () => {
    const refused = await post('/v1/things/BAD?x=1', {}, { 'x-role': 'caseworker' });
    expect(refused.status).to.equal(403);
    expect(refused.body.detail).to.equal('This action is for: admin');
  });

  it('checks the path, the query, the headers and the body, in that order', async () => {
    const admin = { 'x-role': 'admin' };
    expect((await post('/v1/things/BAD?x=1', {}, admin)).body.errors).to.deep.include({ path: 'path.name', message: 'Invalid string: must match pattern /^[a-z]+$/' });
    expect((await post('/v1/things/ok?x=1', {}, admin)).body.detail).to.equal('The query is invalid');
    expect((await post('/v1/things/ok', {}, { ...admin, 'idempotency-key': 'a b' })).body.detail).to.equal('The header is invalid');
    expect((await post('/v1/things/ok', { times: 0 }, admin)).body.detail).to.equal('The body is invalid');
  });

  it('answers with its success status and headers, the handler given the parsed input and the feature\'s service', async () => {
    const greeted = await post('/v1/things/ok', { times: 2 }, { 'x-role': 'admin', 'Idempotency-Key': 'k1' });
    expect(greeted.status).to.equal(201);
    expect(greeted.headers.get('location')).to.equal('/v1/things/ok');
    expect(greeted.body).to.deep.equal({ text: 'someone greets ok 2 times (42, k1)' });
  });

  it('refuses to answer a status it does not document', async () => {
    expect((await post('/v1/things/ok', { times: 10 }, { 'x-role': 'admin' })).status).to.equal(500);
  });

  it('documents the roles it enforces, the 403 that follows from them, and every input and answer', () => {
    const registry = new OpenAPIRegistry();
    documentCalls(registry, [greet]);
    const operation = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 't', version: '1' } }).paths?.[
      '/v1/things/{name}'
    ]?.post;
    expect(operation?.['x-roles']).to.deep.equal(['admin']);
    expect(operation?.description).to.equal('**Who:** admin.');
    expect(Object.keys(operation?.responses ?? {})).to.have.members(['201', '400', '401', '403', '408', '413', '415', '429', '431', '503']);
    expect(operation?.parameters?.map((p) => ('name' in p ? `${p.in}:${p.name}` : ''))).to.deep.equal(['path:name', 'header:Idempotency-Key']);
  });
});
