import * as oidc from 'openid-client';
import type { WebConfig } from '../config';
import { unavailable } from '../api/errors';

export type OidcSettings = NonNullable<WebConfig['oidc']>;

/** The checks of one authorization code flow, kept in the session between leaving and coming back. */
export interface FlowChecks {
  state: string;
  codeVerifier: string;
  nonce: string;
}

export const newFlowChecks = (): FlowChecks => ({ state: oidc.randomState(), codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() });

/** Where the provider sends people back to after signing out: /signed-out beside the redirect URL. */
export const postLogoutRedirectUrl = (redirectUrl: string): string => new URL('/signed-out', redirectUrl).href;

/**
 * The identity provider, as an OpenID Connect relying party (authorization code + PKCE).
 * Discovery happens at the first sign-in, not at start, so the API starts whatever the provider's
 * state; a provider out of reach is a 503 and is asked again next time.
 */
export class SignInProvider {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(readonly settings: OidcSettings) {}

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw unavailable('The sign-in service cannot be reached; try again shortly', error);
    });
    return this.discovered;
  }

  private discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuerUrl);
    // config.ts allows plain http only for a provider on this machine (npm start's, the tests').
    const execute = issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
    return oidc.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, { execute, timeout: 10 });
  }

  /** The provider's sign-in address for this flow. */
  async authorizationUrl(checks: FlowChecks): Promise<URL> {
    const config = await this.configuration();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
  }

  /**
   * Redeem the code the provider sent back (`query`, the callback's query string) and answer the
   * person's claims: the ID token's, with the userinfo endpoint's when the ID token lacks the role.
   */
  async finish(query: string, checks: FlowChecks): Promise<{ claims: Record<string, unknown>; idToken?: string }> {
    const config = await this.configuration();
    const currentUrl = new URL(this.settings.redirectUrl);
    currentUrl.search = query;
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims: Record<string, unknown> = { ...tokens.claims() };
    if (claims[this.settings.roleClaim] === undefined && config.serverMetadata().userinfo_endpoint) {
      Object.assign(claims, await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub)), { sub: claims.sub });
    }
    return { claims, idToken: tokens.id_token };
  }

  /** Where to end the session at the provider too (RP-initiated logout), when it offers that. */
  async endSessionUrl(idToken: string | undefined, postLogoutRedirectUri: string): Promise<URL | undefined> {
    const config = await this.configuration().catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : { client_id: this.settings.clientId }),
    });
  }
}
