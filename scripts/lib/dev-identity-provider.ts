/**
 * A local OpenID Connect provider (oidc-provider) for `npm start` and the tests: the pages sign in
 * through it exactly as through a department's own provider (authorization code + PKCE, ID token
 * with `role` and `department` claims, RP-initiated logout). Its sign-in page lets you pick one of
 * the dev accounts; there are no passwords, so it listens on 127.0.0.1 only. Never for production.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import type { DataSource } from 'typeorm';
import { registerArbiter, type Arbiter } from '../../db/arbiters';
import { SEEDED_DEPARTMENTS } from '../../domain/policy';
import type { Role } from '../../domain/appeal';

export interface DevAccount {
  sub: string;
  name: string;
  role: Role;
  department?: string;
}

const MANAGER_NAMES: Record<(typeof SEEDED_DEPARTMENTS)[number]['code'], string> = {
  DCLG: 'Morgan Ellis',
  BIS: 'Priya Shah',
  DFE: 'Tom Baker',
  HO: 'Grace Okoro',
  MOJ: 'Dan Hughes',
};

/** A manager of each seeded department. */
const managers: DevAccount[] = SEEDED_DEPARTMENTS.map(({ code }) => ({ sub: `manager-${code.toLowerCase()}`, name: MANAGER_NAMES[code], role: 'manager', department: code }));

/** The accounts of the local provider: their `sub` is what the engine knows them by. */
export const DEV_ACCOUNTS: DevAccount[] = [
  { sub: 'caseworker-1', name: 'Casey Walker', role: 'caseworker' },
  { sub: 'admin-1', name: 'Ada Admin', role: 'admin' },
  ...managers,
  { sub: 'arbiter-1', name: 'Robin Hale', role: 'arbiter' },
  { sub: 'arbiter-2', name: 'Sam Okafor', role: 'arbiter', department: 'HO' },
];

/** The dev arbiters as the arbiter register holds them (the second has a home department). */
export const DEV_ARBITERS: Arbiter[] = DEV_ACCOUNTS.filter((a) => a.role === 'arbiter').map((a) => ({
  id: a.sub,
  name: a.name,
  email: `${a.sub}@arbiters.example.org`,
  department: a.department ?? null,
}));

/** Put the dev arbiters in the register if they are not there yet. */
export async function registerDevArbiters(dataSource: DataSource): Promise<void> {
  for (const arbiter of DEV_ARBITERS) await registerArbiter(dataSource, arbiter);
}

export interface DevIdentityProviderOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  clientId: string;
  clientSecret: string;
  /** The app's OIDC_REDIRECT_URL. */
  redirectUrl: string;
  /** Where the provider may send people after signing out. */
  postLogoutRedirectUrl: string;
}

export interface DevIdentityProvider {
  issuerUrl: string;
  accounts: DevAccount[];
  close(): Promise<void>;
}

export async function startDevIdentityProvider(options: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  const { default: Provider } = await import('oidc-provider');
  const app = express();
  app.disable('x-powered-by');
  const server: Server = app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const issuerUrl = `http://${options.host}:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuerUrl, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        client_name: 'Mutuals appeals',
        redirect_uris: [options.redirectUrl],
        post_logout_redirect_uris: [options.postLogoutRedirectUrl],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'role', 'department'] },
    // Put the profile claims in the ID token itself, as Entra ID and Keycloak do with roles.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const account = DEV_ACCOUNTS.find((a) => a.sub === sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: account.name, role: account.role, department: account.department }) };
    },
    // The service is this provider's only, first-party client: no consent screen.
    loadExistingGrant: async (ctx) => {
      const { Grant } = ctx.oidc.provider;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return Grant.find(grantId);
      const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = page(
            'Sign out',
            `<h1>Sign out of the local identity provider?</h1>
            ${form}
            <p>You are signing out of Mutuals appeals.</p>
            <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
            <button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page('Signed out', '<h1>You have signed out</h1><p>You can close this page.</p>');
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<h1>Sign-in did not work</h1><p>${escapeHtml(String(out.error_description ?? out.error))}</p><p>Go back to the service and sign in again.</p>`);
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: { Interaction: 3600, Session: 12 * 3600, Grant: 12 * 3600, AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600 },
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'dev' }] as never },
  });

  app.get('/interaction/:uid', (req, res, next) => {
    provider.interactionDetails(req, res).then((details) => {
      res.type('html').send(accountPicker(details.uid));
    }, next);
  });
  app.post('/interaction/:uid/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res, next) => {
    const chosen = DEV_ACCOUNTS.find((a) => a.sub === (req.body as { account?: unknown }).account);
    if (!chosen) {
      res.status(400).type('html').send(accountPicker(String(req.params.uid), 'Choose an account to sign in as'));
      return;
    }
    provider.interactionFinished(req, res, { login: { accountId: chosen.sub } }, { mergeWithLastSubmission: false }).catch(next);
  });
  app.use(provider.callback());

  return {
    issuerUrl,
    accounts: DEV_ACCOUNTS,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function accountPicker(uid: string, error?: string): string {
  const options = DEV_ACCOUNTS.map(
    (a) => `<div class="option">
        <input type="radio" id="account-${escapeHtml(a.sub)}" name="account" value="${escapeHtml(a.sub)}">
        <label for="account-${escapeHtml(a.sub)}">${escapeHtml(a.name)} <span class="role">${a.role}${a.department ? `, ${a.department}` : ''} (${escapeHtml(a.sub)})</span></label>
      </div>`,
  ).join('\n');
  return page(
    error ? 'Error: Sign in' : 'Sign in',
    `<p class="strip">Local identity provider, for trying the service on this machine</p>
    <h1>Sign in to Mutuals appeals</h1>
    <p>This is the local identity provider that <code>npm start</code> runs for trying the service. Choose who to sign in as: there are no passwords here.</p>
    <form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
      <fieldset${error ? ' aria-describedby="account-error"' : ''}>
        <legend>Account</legend>
        ${error ? `<p class="error" id="account-error">${escapeHtml(error)}</p>` : ''}
        ${options}
      </fieldset>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>${escapeHtml(title)} – Local identity provider</title>
  <style>
    body { font-family: arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c; margin: 0; }
    main { max-width: 640px; margin: 0 auto; padding: 30px 15px; }
    h1 { font-size: 32px; margin: 0 0 20px; }
    .strip { font-size: 16px; color: #484949; border-bottom: 1px solid #cecece; padding-bottom: 10px; margin: 0 0 20px; }
    fieldset { border: 0; padding: 0; margin: 0 0 20px; }
    legend { font-weight: bold; font-size: 24px; margin-bottom: 10px; }
    .option { display: flex; align-items: center; gap: 10px; margin-bottom: 10px; }
    .option input { width: 28px; height: 28px; margin: 0; }
    .role { color: #484949; }
    .error { color: #ca3535; font-weight: bold; }
    button { font: inherit; font-weight: bold; color: #fff; background: #00703c; border: 0; box-shadow: 0 2px 0 #002d18; padding: 8px 12px; margin-right: 10px; cursor: pointer; }
    button.secondary { color: #0b0c0c; background: #f3f2f1; box-shadow: 0 2px 0 #929191; }
    button:focus, input:focus { outline: 3px solid #fd0; outline-offset: 0; }
    code { font-size: 17px; }
  </style>
</head>
<body>
  <main>
    ${body}
  </main>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
