/**
 * Authentication: bearer JWTs, HS256 with AUTH_JWT_SECRET or an OIDC provider's JWKS, issuer and
 * audience enforced when set; expired, unsigned and forged tokens refused; dev tokens from
 * `npm run token`.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { WorkflowNotFoundError } from '@temporalio/client';
import { appealIdFor } from '../api/appeals/service';
import { startServer, type RunningServer } from '../api/server';
import type { Config } from '../config';
import { appealWorkflowId } from '../workflows/shared';
import { harness, TEST_JWT_SECRET } from './harness';
import { submission } from './support/appeals';
import { databaseFingerprint, expectProblem } from './support/api';

const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const claims = { role: 'caseworker' };

function hs256(payload: Record<string, unknown> = claims, options: { sub?: string; exp?: string | number | null; iss?: string; aud?: string } = {}) {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (options.sub !== '') jwt.setSubject(options.sub ?? 'caseworker-1');
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? '5m');
  if (options.iss) jwt.setIssuer(options.iss);
  if (options.aud) jwt.setAudience(options.aud);
  return jwt;
}

async function status(url: string, token: string): Promise<number> {
  return (await fetch(`${url}/v1/departments`, { headers: { authorization: `Bearer ${token}` } })).status;
}

async function serverWith(auth: Config['auth']): Promise<RunningServer> {
  const { dataSource, client, config } = harness();
  return startServer({ port: 0, dataSource, client, config: { ...config, auth, logLevel: 'silent' } });
}

/** A token signed with the right secret whose claims are exactly `payload` (plus `exp`). */
const signedClaims = (payload: Record<string, unknown>) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(secret);

/** Claims that do not fit: each must be refused with 401 when the token is verified. */
const BAD_CLAIMS: [string, Record<string, unknown>][] = [
  ['a manager without a department', { sub: 'manager-1', role: 'manager' }],
  ['a manager whose department is a number', { sub: 'manager-1', role: 'manager', department: 42 }],
  ['a manager whose department holds NUL', { sub: 'manager-1', role: 'manager', department: 'HO\u0000' }],
  ['a manager whose department is not a code', { sub: 'manager-1', role: 'manager', department: 'home office' }],
  ['a caseworker whose sub holds NUL', { sub: 'case\u0000worker', role: 'caseworker' }],
  ['a caseworker whose sub holds an escape character', { sub: 'case\u001b[31mworker', role: 'caseworker' }],
  ['a caseworker whose sub holds a line break', { sub: 'caseworker\n2', role: 'caseworker' }],
  ['a caseworker whose sub holds an unpaired surrogate', { sub: 'case\ud800worker', role: 'caseworker' }],
  ['a caseworker whose sub is only spaces', { sub: '   ', role: 'caseworker' }],
  ['a caseworker whose sub starts with a space (another caseworker\'s sub, padded)', { sub: ' caseworker-1', role: 'caseworker' }],
  ['a caseworker whose sub is over-long', { sub: 'c'.repeat(256), role: 'caseworker' }],
  ['a caseworker whose sub is a number', { sub: 7, role: 'caseworker' }],
  ['a caseworker whose department is an array', { sub: 'caseworker-1', role: 'caseworker', department: ['HO'] }],
  ['a role that is a list of roles', { sub: 'caseworker-1', role: ['caseworker'] }],
];

/** How many appeal workflows were ever started in this run's namespace and task queue. */
async function appealWorkflows(): Promise<number> {
  const { client, taskQueue } = harness();
  return (await client.workflow.count(`WorkflowType = 'appealWorkflow' AND TaskQueue = '${taskQueue}'`)).count;
}

describe('API: authentication', () => {

  it('accepts a valid HS256 token, and refuses expired, unsigned, forged, claimless and malformed ones with 401', async () => {
    const { api } = harness();
    expect((await api('GET', '/v1/departments', { token: await hs256().sign(secret) })).status).to.equal(200);
    const expired = await api('GET', '/v1/departments', { token: await hs256(claims, { exp: Math.floor(Date.now() / 1000) - 60 }).sign(secret) });
    expectProblem(expired, 401);
    expect(expired.body.detail).to.match(/expired/);
    expect(expired.headers.get('www-authenticate')).to.equal('Bearer');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'caseworker-1', role: 'caseworker', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    const refused = [
      `${header}.${body}.`,
      await hs256().sign(new TextEncoder().encode('another-secret')),
      await hs256({ role: 'superuser' }).sign(secret),
      await hs256({}).sign(secret),
      await hs256(claims, { sub: '' }).sign(secret),
      await hs256(claims, { exp: null }).sign(secret),
      'a.b.c',
    ];
    for (const token of refused) expectProblem(await api('GET', '/v1/departments', { token }), 401);
    expectProblem(await api('GET', '/v1/departments', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), 401);
  });

  describe('tokens whose claims do not fit', () => {
    for (const [what, payload] of BAD_CLAIMS) {
      it(`${what}: 401 problem+json on GET and POST /v1/appeals, no workflow started, nothing written`, async () => {
        const { api, client } = harness();
        const token = await signedClaims(payload);
        const before = await databaseFingerprint([]);
        const workflowsBefore = await appealWorkflows();
        const key = `bad-claims-${Math.random().toString(36).slice(2)}`;

        const list = await api('GET', '/v1/appeals', { token });
        expectProblem(list, 401);
        expect(list.headers.get('www-authenticate')).to.equal('Bearer');
        for (const headers of [{ 'idempotency-key': key }, undefined]) {
          expectProblem(await api('POST', '/v1/appeals', { token, headers, body: submission('HO') }), 401);
        }

        const workflow = client.workflow.getHandle(appealWorkflowId(appealIdFor(String(payload.sub), key)));
        const described = await workflow.describe().then(() => 'a workflow was started', (error: unknown) => error);
        expect(described).to.be.instanceOf(WorkflowNotFoundError);
        expect(await appealWorkflows()).to.equal(workflowsBefore);
        expect(await databaseFingerprint([])).to.deep.equal(before);
      });
    }

    it('names the claim that does not fit, without echoing its value', async () => {
      const { api } = harness();
      const missing = await api('GET', '/v1/appeals', { token: await signedClaims({ sub: 'manager-1', role: 'manager' }) });
      expectProblem(missing, 401);
      expect(missing.body.detail).to.match(/department claim/);
      const hidden = await api('GET', '/v1/appeals', { token: await signedClaims({ sub: 'SECRET-SUB\u0000', role: 'caseworker' }) });
      expectProblem(hidden, 401);
      expect(hidden.body.detail).to.match(/sub claim/);
      expect(JSON.stringify(hidden.body)).not.to.include('SECRET');
    });

    it('accepts the claims that fit: a manager with a department, an arbiter with or without one, a sub of 255 characters', async () => {
      const { api } = harness();
      for (const payload of [
        { sub: 'manager-1', role: 'manager', department: 'HO' },
        { sub: 'arbiter-1', role: 'arbiter' },
        { sub: 'arbiter-1', role: 'arbiter', department: 'MOJ' },
        { sub: 'c'.repeat(255), role: 'caseworker' },
        { sub: 'Ünïcode caseworker 👩‍💼', role: 'caseworker' },
      ]) {
        const response = await api('GET', '/v1/appeals?limit=1', { token: await signedClaims(payload) });
        expect(response.status, `${JSON.stringify(payload)}: ${JSON.stringify(response.body)}`).to.equal(200);
      }
    });
  });

  it('enforces AUTH_ISSUER and AUTH_AUDIENCE when they are set', async () => {
    const server = await serverWith({ jwtSecret: TEST_JWT_SECRET, issuer: 'https://id.example.gov.uk', audience: 'appeals-api' });
    try {
      const good = { iss: 'https://id.example.gov.uk', aud: 'appeals-api' };
      expect(await status(server.url, await hs256(claims, good).sign(secret))).to.equal(200);
      expect(await status(server.url, await hs256().sign(secret))).to.equal(401);
      expect(await status(server.url, await hs256(claims, { ...good, iss: 'https://evil.example' }).sign(secret))).to.equal(401);
      expect(await status(server.url, await hs256(claims, { ...good, aud: 'another-api' }).sign(secret))).to.equal(401);
    } finally {
      await server.close();
    }
  });

  describe('with an OIDC provider (AUTH_JWKS_URL)', () => {
    let jwks: http.Server;
    let jwksUrl: string;
    let keys: { privateKey: CryptoKey; publicJwk: JWK };
    let server: RunningServer;

    before(async () => {
      const pair = await generateKeyPair('RS256');
      keys = { privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' } };
      jwks = http.createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [keys.publicJwk] }));
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
      server = await serverWith({ jwksUrl, issuer: 'https://id.example.gov.uk' });
    });

    after(async () => {
      await server.close();
      jwks.closeAllConnections();
      await new Promise((resolve) => jwks.close(resolve));
    });

    const rs256 = (key: CryptoKey, kid = 'key-1') =>
      new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject('admin-9')
        .setIssuer('https://id.example.gov.uk')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);

    it("accepts tokens signed with the provider's keys, refuses HS256 and other keys", async () => {
      expect(await status(server.url, await rs256(keys.privateKey))).to.equal(200);
      expect(await status(server.url, await hs256(claims, { iss: 'https://id.example.gov.uk' }).sign(secret))).to.equal(401);
      const stranger = await generateKeyPair('RS256');
      expect(await status(server.url, await rs256(stranger.privateKey))).to.equal(401);
    });

    it('answers 503 while the provider cannot be reached to fetch its keys', async () => {
      const unreachable = await serverWith({ jwksUrl: 'http://127.0.0.1:9/jwks.json' });
      try {
        const response = await fetch(`${unreachable.url}/v1/departments`, { headers: { authorization: `Bearer ${await rs256(keys.privateKey)}` } });
        expect(response.status).to.equal(503);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      } finally {
        await unreachable.close();
      }
    });
  });

  it('`npm run token -- --role R --sub S --department D` mints a token the API accepts', async function () {
    this.timeout(30_000);
    const root = path.resolve(__dirname, '..');
    const { stdout } = await promisify(execFile)(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      ['scripts/token.ts', '--role', 'manager', '--sub', 'manager-7', '--department', 'HO'],
      { cwd: root, env: { ...process.env, AUTH_JWT_SECRET: TEST_JWT_SECRET, AUTH_ISSUER: '', AUTH_AUDIENCE: '' } },
    );
    const response = await harness().api('GET', '/v1/appeals?limit=1', { token: stdout.trim() });
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
  });
});
