/**
 * Operations: security headers, request ids in every log line and error, structured JSON logs,
 * rate limiting, metrics, liveness and readiness (503 when PostgreSQL or Temporal is down).
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { expect } from 'chai';
import pino from 'pino';
import { createApp } from '../api/app';
import { startServer, stopServer, type RunningServer } from '../api/server';
import { createDataSource } from '../db/data-source';
import { harness } from './harness';
import { openAppeal } from './support/appeals';
import { expectProblem, peopleFor, type People } from './support/api';

/** A TCP proxy in front of a dependency, so a test can take the dependency "down". */
async function proxyTo(host: string, port: number): Promise<{ address: string; port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${proxyPort}`,
    port: proxyPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function get(url: string, token?: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

describe('API: operations', () => {
  let people: People;
  before(async () => {
    people = await peopleFor();
  });

  it('sends helmet security headers on every answer, and no X-Powered-By', async () => {
    for (const path of ['/healthz', '/v1/appeals', '/openapi.json']) {
      const response = await harness().api('GET', path, { token: people.caseworker });
      expect(response.headers.get('x-content-type-options'), path).to.equal('nosniff');
      expect(response.headers.get('content-security-policy'), path).to.include("default-src 'self'");
      expect(response.headers.get('strict-transport-security'), path).to.match(/max-age=\d+/);
      expect(response.headers.get('x-frame-options'), path).to.equal('SAMEORIGIN');
      expect(response.headers.get('x-powered-by'), path).to.equal(null);
    }
  });

  it('gives every answer a request id (the caller\'s X-Request-Id if sane) and puts it in every problem', async () => {
    const given = await harness().api('GET', '/v1/appeals/not-a-uuid', { token: people.caseworker, headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).to.equal('trace-123');
    expect(given.body.requestId).to.equal('trace-123');
    const made = await harness().api('GET', '/v1/nowhere', { token: people.caseworker, headers: { 'x-request-id': 'bad id with spaces' } });
    expectProblem(made, 404);
    expect(made.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    expect(made.body.requestId).to.equal(made.headers.get('x-request-id'));
  });

  it('logs structured JSON, every line of a request carrying its request id (and the caller once known)', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const { dataSource, client, config } = harness();
    const app = createApp({ dataSource, client, config, logger: pino({ level: 'info' }, sink) });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const [path, id] of [['/v1/appeals?limit=1', 'log-a'], ['/v1/appeals?limit=0', 'log-b'], ['/healthz', 'log-c']]) {
        await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${people.caseworker}`, 'x-request-id': id } });
      }
    } finally {
      await stopServer(server);
    }
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map((e) => e.reqId)).to.include.members(['log-a', 'log-b', 'log-c']);
    for (const entry of entries) {
      expect(entry).to.include.keys('level', 'time', 'msg', 'reqId');
    }
    const logged = entries.find((e) => e.reqId === 'log-b');
    expect(logged).to.include({ status: 400, sub: 'caseworker-1', role: 'caseworker', method: 'GET' });
    expect(JSON.stringify(entries)).to.not.include(people.caseworker);
  });

  describe('rate limiting', () => {
    let limited: RunningServer;
    before(async () => {
      const { dataSource, client, config } = harness();
      limited = await startServer({ port: 0, dataSource, client, config: { ...config, rateLimitPerMinute: 3, logLevel: 'silent' } });
    });
    after(() => limited.close());

    it('answers 429 problem+json with Retry-After once a caller (by token sub) passes the limit, and only that caller', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(`${limited.url}/v1/departments`, people.caseworker)).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      const refused = await get(`${limited.url}/v1/departments`, people.caseworker);
      expect(refused.status).to.equal(429);
      expect(refused.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(refused.body).to.include({ status: 429, title: 'Too many requests' });
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
      // Another caller is counted on their own.
      expect((await get(`${limited.url}/v1/departments`, people.admin)).status).to.equal(200);
    });

    it('counts callers without a valid token by address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(`${limited.url}/v1/departments`, 'forged')).status);
      expect(statuses).to.deep.equal([401, 401, 401, 429]);
    });
  });

  it('serves Prometheus metrics: requests and latencies by route template and status, appeals by status', async () => {
    const appeal = await openAppeal(people);
    await harness().api('GET', `/v1/appeals/${appeal.id}`, { token: people.caseworker });
    const response = await harness().api('GET', '/metrics');
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/plain/);
    const text: string = response.body;
    expect(text).to.match(/http_requests_total\{method="GET",route="\/v1\/appeals\/\{id\}",status="200"\} \d+/);
    expect(text).to.match(/http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/v1\/appeals",status="201"\} \d+/);
    expect(text).to.not.include(appeal.id);
    const awaiting = /appeals_by_status\{status="awaiting_manager_response"\} (\d+)/.exec(text);
    expect(Number(awaiting?.[1])).to.be.at.least(1);
    expect(text).to.match(/appeals_by_status\{status="complied"\} \d+/);
    expect(text).to.include('process_cpu_seconds_total');
  });

  it('answers liveness and readiness', async () => {
    expect((await harness().api('GET', '/healthz')).body).to.deep.equal({ status: 'ok' });
    expect((await harness().api('GET', '/readyz')).body).to.deep.equal({ status: 'ready', database: true, temporal: true });
  });

  it('is not ready (503) while PostgreSQL is down, and answers calls that need it with 503 problem+json', async () => {
    const { config, client } = harness();
    const database = new URL(config.databaseUrl ?? '');
    const proxy = await proxyTo(database.hostname, Number(database.port || 5432));
    database.host = proxy.address;
    const dataSource = createDataSource({ url: database.toString(), schema: config.databaseSchema });
    const server = await startServer({ port: 0, dataSource, client, config: { ...config, logLevel: 'silent' } });
    try {
      expect((await get(`${server.url}/readyz`)).status).to.equal(200);
      await proxy.close();
      const ready = await get(`${server.url}/readyz`);
      expect(ready.status).to.equal(503);
      expect(ready.body).to.deep.equal({ status: 'unavailable', database: false, temporal: true });
      const list = await get(`${server.url}/v1/appeals`, people.caseworker);
      expect(list.status, JSON.stringify(list.body)).to.equal(503);
      expect(list.headers.get('content-type')).to.match(/^application\/problem\+json/);
    } finally {
      await server.close();
      await dataSource.destroy().catch(() => undefined);
    }
  });

  it('is not ready (503) while Temporal is down', async () => {
    const { config, dataSource, temporalAddress } = harness();
    const [host, port] = temporalAddress.split(':');
    const proxy = await proxyTo(host, Number(port));
    const connection = await Connection.connect({ address: proxy.address });
    const client = new Client({ connection, namespace: harness().namespace });
    const server = await startServer({ port: 0, dataSource, client, config: { ...config, logLevel: 'silent' } });
    try {
      expect((await get(`${server.url}/readyz`)).status).to.equal(200);
      await proxy.close();
      const ready = await get(`${server.url}/readyz`);
      expect(ready.status).to.equal(503);
      expect(ready.body).to.deep.equal({ status: 'unavailable', database: true, temporal: false });
      expect(ready.headers.get('retry-after')).to.equal('5');
    } finally {
      await server.close();
      await connection.close();
    }
  });

  it('serves the interactive docs at /docs from this process', async () => {
    const page = await get(`${harness().apiUrl}/docs/`);
    expect(page.status).to.equal(200);
    expect(page.body).to.include('swagger-ui');
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui-init.js', 'swagger-ui.css']) {
      expect((await get(`${harness().apiUrl}/docs/${asset}`)).status, asset).to.equal(200);
    }
    expect(await (await fetch(`${harness().apiUrl}/docs/swagger-ui-init.js`)).text()).to.include('Mutuals appeals engine');
  });
});
