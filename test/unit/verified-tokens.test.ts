import type { Request, Response } from 'express';
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { identify } from '../../api/auth/authenticate';
import { VerifiedTokens, type Verified } from '../../api/auth/verified-tokens';
import type { Caller } from '../../api/context';

const caseworker: Caller = { sub: 'caseworker-1', role: 'caseworker' };

/** A verifier that counts its calls: it accepts until `expiresAt`, or refuses every token. */
function verifier(expiresAt: number, refuse = false) {
  const verifier = {
    calls: 0,
    verify: (): Promise<Verified> => {
      verifier.calls++;
      return refuse ? Promise.reject(new Error('The token is invalid')) : Promise.resolve({ caller: caseworker, expiresAt });
    },
  };
  return verifier;
}

describe('VerifiedTokens: verified tokens remembered until they expire', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('verifies a token sent again only once', async () => {
    const tokens = new VerifiedTokens(10, clock);
    const accepting = verifier(now + 60_000);
    for (let i = 0; i < 3; i++) expect(await tokens.callerOf('token-a', accepting.verify)).to.deep.equal(caseworker);
    expect(accepting.calls).to.equal(1);
  });

  it('verifies again once the token has expired, and passes the refusal on', async () => {
    const tokens = new VerifiedTokens(10, clock);
    const accepting = verifier(now + 60_000);
    await tokens.callerOf('token-a', accepting.verify);
    now += 59_999;
    await tokens.callerOf('token-a', accepting.verify);
    expect(accepting.calls).to.equal(1);
    now += 1;
    const refusing = verifier(0, true);
    await expectRefused(tokens.callerOf('token-a', refusing.verify));
    expect(refusing.calls).to.equal(1);
  });

  it('never remembers a token refused', async () => {
    const tokens = new VerifiedTokens(10, clock);
    const refusing = verifier(0, true);
    await expectRefused(tokens.callerOf('token-a', refusing.verify));
    await expectRefused(tokens.callerOf('token-a', refusing.verify));
    expect(refusing.calls).to.equal(2);
  });

  it('tells tokens apart', async () => {
    const tokens = new VerifiedTokens(10, clock);
    const accepting = verifier(now + 60_000);
    await tokens.callerOf('token-a', accepting.verify);
    await tokens.callerOf('token-b', accepting.verify);
    expect(accepting.calls).to.equal(2);
  });

  it('keeps at most its capacity, dropping the least recently used token first', async () => {
    const tokens = new VerifiedTokens(2, clock);
    const accepting = verifier(now + 60_000);
    for (const token of ['token-a', 'token-b', 'token-a', 'token-c']) await tokens.callerOf(token, accepting.verify);
    expect(accepting.calls).to.equal(3);
    await tokens.callerOf('token-a', accepting.verify);
    expect(accepting.calls, 'token-a was used after token-b, so token-b went').to.equal(3);
    await tokens.callerOf('token-b', accepting.verify);
    expect(accepting.calls).to.equal(4);
  });
});

describe('identify: the bearer token verified once, until it expires', () => {
  const secret = 'unit-test-secret';
  const middleware = identify({ jwtSecret: secret });

  function identified(token: string): Promise<Request> {
    const req = { get: () => `Bearer ${token}`, log: { child: () => req.log } } as unknown as Request;
    return new Promise((resolve) => middleware(req, {} as Response, () => resolve(req)));
  }

  const signed = (exp: number) =>
    new SignJWT({ role: 'caseworker' }).setProtectedHeader({ alg: 'HS256' }).setSubject('caseworker-1').setExpirationTime(exp).sign(new TextEncoder().encode(secret));

  it('answers the remembered caller for a token sent again', async () => {
    const token = await signed(Math.floor(Date.now() / 1000) + 300);
    const [first, second] = [await identified(token), await identified(token)];
    expect(first.caller).to.deep.equal(caseworker);
    expect(second.caller, 'the same caller, not verified again').to.equal(first.caller);
  });

  it('refuses a token once it has expired, though it was remembered', async function () {
    this.timeout(5_000);
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = await signed(exp);
    expect((await identified(token)).caller).to.deep.equal(caseworker);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 10));
    const refused = await identified(token);
    expect(refused.caller).to.equal(undefined);
    expect(refused.authFailure).to.include({ status: 401, detail: 'The token has expired' });
  });

});

async function expectRefused(promise: Promise<unknown>): Promise<void> {
  const outcome = await promise.then(() => 'accepted', (error: unknown) => error);
  expect(outcome).to.be.instanceOf(Error);
}
