/**
 * The OpenAPI document: valid OpenAPI 3.1, generated from the request schemas, covering every call
 * of DESIGN.md's table; and every response of the whole test suite conforms to it.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { harness } from './harness';
import { openApi } from './support/openapi';

/** DESIGN.md's "HTTP API" table, plus POST /v1/departments (administrators add departments) and the public register's calls (issue 13). */
const DESIGNED_CALLS = [
  'POST /v1/appeals',
  'GET /v1/appeals',
  'GET /v1/appeals/{id}',
  'GET /v1/appeals/{id}/timeline',
  'GET /v1/appeals/{id}/policy',
  'GET /v1/appeals/{id}/notifications',
  'POST /v1/appeals/{id}/manager-response',
  'POST /v1/appeals/{id}/arbiter',
  'POST /v1/appeals/{id}/hearing',
  'POST /v1/appeals/{id}/hearing/outcome',
  'POST /v1/appeals/{id}/decision',
  'POST /v1/appeals/{id}/compliance',
  'POST /v1/appeals/{id}/withdraw',
  'POST /v1/appeals/{id}/deadlines/{kind}/extend',
  'POST /v1/appeals/{id}/documents',
  'GET /v1/appeals/{id}/documents',
  'GET /v1/appeals/{id}/documents/{docId}',
  'GET /v1/appeals/{id}/documents/{docId}/verify',
  'GET /v1/appeals/{id}/bundle.pdf',
  'GET /v1/appeals/{id}/decision-letter.html',
  'GET /v1/arbiters',
  'POST /v1/arbiters',
  'GET /v1/departments',
  'POST /v1/departments',
  'PUT /v1/departments/{code}/policy',
  'POST /v1/departments/{code}/policy/preview',
  'PUT /v1/departments/{code}/guidance',
  'PUT /v1/arbiters/{id}/publication',
  'DELETE /v1/arbiters/{id}/publication',
  'GET /v1/public/departments',
  'GET /v1/public/departments/{code}',
  'GET /v1/public/decisions',
  'GET /v1/public/decisions/{reference}',
  'GET /v1/public/feed.atom',
  'GET /v1/calendars',
  'PUT /v1/calendars',
  'POST /v1/calendars/{division}/holidays',
  'DELETE /v1/calendars/{division}/holidays/{date}',
  'GET /v1/reports/summary',
  'POST /v1/checkpoints',
  'GET /v1/public/checkpoints',
  'GET /v1/public/checkpoints/{id}',
  'GET /v1/public/checkpoints/{id}/proof/{reference}',
  'GET /v1/public/statistics',
  'GET /v1/public/statistics.csv',
  'GET /v1/public/statistics/dictionary',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
];

function resolve(document: any, schema: any): any {
  if (schema?.$ref) return resolve(document, schema.$ref.replace('#/', '').split('/').reduce((node: any, key: string) => node[key], document));
  return schema;
}

/** Every object schema reachable from `schema`, with where it is. */
function objectSchemas(document: any, schema: any, where: string, seen = new Set<any>()): { where: string; schema: any }[] {
  const resolved = resolve(document, schema);
  if (!resolved || typeof resolved !== 'object' || seen.has(resolved)) return [];
  seen.add(resolved);
  const found = resolved.type === 'object' || resolved.properties ? [{ where, schema: resolved }] : [];
  const children = [
    ...Object.entries<any>(resolved.properties ?? {}).map(([key, child]) => [`${where}.${key}`, child] as const),
    ...(resolved.items ? [[`${where}[]`, resolved.items] as const] : []),
    ...['allOf', 'anyOf', 'oneOf'].flatMap((k) => (resolved[k] ?? []).map((child: any) => [where, child] as const)),
  ];
  return [...found, ...children.flatMap(([path, child]) => objectSchemas(document, child, path, seen))];
}

describe('API: the OpenAPI document', () => {
  it('is served at /openapi.json and validates as OpenAPI 3.1', async () => {
    const response = await fetch(`${harness().apiUrl}/openapi.json`);
    expect(response.status).to.equal(200);
    const document = (await response.json()) as Record<string, any>;
    expect(document.openapi).to.match(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
  });

  it("documents every call of DESIGN.md's table, each with an operationId", async () => {
    const { operations } = await openApi();
    expect(operations.map((o) => `${o.method} ${o.path}`)).to.have.members(DESIGNED_CALLS);
    expect(new Set(operations.map((o) => o.operationId)).size).to.equal(operations.length);
  });

  it('rejects unknown fields in every request body, JSON or multipart (additionalProperties: false at every level)', async () => {
    const { document, operations } = await openApi();
    const bodies = operations.filter((o) => o.operation.requestBody);
    const multipart = bodies.filter((o) => o.operation.requestBody.content['multipart/form-data']);
    expect(bodies).to.have.length(18);
    expect(multipart.map((o) => o.operationId)).to.deep.equal(['uploadDocument']);
    for (const { operationId, operation } of bodies) {
      const [[type, { schema }]] = Object.entries<any>(operation.requestBody.content);
      expect(type, operationId).to.be.oneOf(['application/json', 'multipart/form-data']);
      const objects = objectSchemas(document, schema, operationId);
      expect(objects.length, operationId).to.be.above(0);
      for (const { where, schema: object } of objects) expect(object.additionalProperties, where).to.equal(false);
    }
  });

  it('documents an upload as multipart/form-data: its fields, then the file as binary', async () => {
    const { document, operations } = await openApi();
    const upload = operations.find((o) => o.operationId === 'uploadDocument');
    const schema = resolve(document, upload?.operation.requestBody.content['multipart/form-data'].schema);
    expect(Object.keys(schema.properties)).to.deep.equal(['category', 'title', 'supersedes', 'file']);
    expect(schema.required).to.have.members(['category', 'title', 'file']);
    expect(schema.properties.file).to.include({ type: 'string', format: 'binary' });
  });

  it('documents the problems each /v1 call can answer as application/problem+json: 401, 429, 503, and 400/413/415 with a body', async () => {
    const { operations } = await openApi();
    for (const { method, path, operation } of operations.filter((o) => o.path.startsWith('/v1/') && !o.path.startsWith('/v1/public/'))) {
      const statuses = Object.keys(operation.responses);
      const expected = ['401', '429', '503', ...(operation.requestBody ? ['400', '413', '415'] : [])];
      expect(statuses, `${method} ${path}`).to.include.members(expected);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(operation.responses[status].content, `${method} ${path} ${status}`).to.have.key('application/problem+json');
      }
      expect(operation.security, `${method} ${path}`).to.deep.equal([{ bearer: [] }]);
    }
  });

  it('documents the public register calls without a token: 429 and problem+json answers, no bearer security', async () => {
    const { operations } = await openApi();
    const publicCalls = operations.filter((o) => o.path.startsWith('/v1/public/'));
    expect(publicCalls.length).to.be.above(0);
    for (const { method, path, operation } of publicCalls) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, `${method} ${path}`).to.include('429').and.not.include('401');
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(operation.responses[status].content, `${method} ${path} ${status}`).to.have.key('application/problem+json');
      }
      expect(operation.security, `${method} ${path}`).to.deep.equal([]);
    }
  });

  it('catches a response that does not conform (the check the whole suite runs under)', async () => {
    const spec = await openApi();
    const answer = (status: number, body: unknown, type = 'application/json') => ({ status, body, headers: new Headers({ 'content-type': type }) });
    const id = '/v1/appeals/4c11b56f-99f5-4d87-8257-320d26c432b8';
    expect(spec.violations('GET', id, answer(200, { id: 7 })).length).to.be.above(0);
    expect(spec.violations('GET', id, answer(418, {}))).to.deep.equal(['getAppeal does not document status 418']);
    expect(spec.violations('GET', id, answer(404, { title: 'Not found', status: 404 }, 'text/plain')).length).to.be.above(0);
    expect(spec.violations('GET', id, answer(404, { type: 'about:blank', title: 'Not found', status: 404 }, 'application/problem+json'))).to.deep.equal([]);
  });
});
