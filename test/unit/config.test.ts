import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config';

describe('configuration', () => {
  it('has working defaults for a machine with nothing set', () => {
    const config = loadConfig({});
    expect(config).to.include({ port: 3000, databaseSchema: 'public', rateLimitPerMinute: 600, trustProxy: false, shutdownGraceMs: 10_000 });
    expect(config.temporal).to.include({ namespace: 'default', taskQueue: 'appeals', addressGiven: false });
    expect(config.temporal.connectionOptions.address).to.equal('localhost:7233');
  });

  it('reads the Temporal connection through envconfig', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_NAMESPACE: 'appeals-prod' });
    expect(config.temporal.connectionOptions.address).to.equal('temporal.internal:7233');
    expect(config.temporal).to.include({ namespace: 'appeals-prod', addressGiven: true });
  });

  it('refuses a webhook without a signing secret, and bad values, naming them', () => {
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/appeals' })).to.throw(ConfigError, /WEBHOOK_SECRET/);
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: '-1' })).to.throw(ConfigError, /SHUTDOWN_GRACE_SECONDS/);
    expect(() => loadConfig({ DATABASE_SCHEMA: 'Robert"); DROP' })).to.throw(ConfigError, /DATABASE_SCHEMA/);
  });

  it('takes documents of at most 20 MB by default, DOCUMENT_MAX_MB otherwise; scans them with clamd when CLAMAV_HOST is set', () => {
    expect(loadConfig({}).documents).to.deep.equal({ maxBytes: 20 * 1024 * 1024, clamav: undefined, store: { kind: 'postgres' } });
    expect(loadConfig({ DOCUMENT_MAX_MB: '5' }).documents.maxBytes).to.equal(5 * 1024 * 1024);
    expect(() => loadConfig({ DOCUMENT_MAX_MB: '0' })).to.throw(ConfigError, /DOCUMENT_MAX_MB/);
    expect(loadConfig({ CLAMAV_HOST: 'clamd.internal' }).documents.clamav).to.deep.equal({ host: 'clamd.internal', port: 3310 });
    expect(loadConfig({ CLAMAV_HOST: 'clamd.internal', CLAMAV_PORT: '3311' }).documents.clamav).to.deep.equal({ host: 'clamd.internal', port: 3311 });
    expect(() => loadConfig({ CLAMAV_HOST: 'clamd.internal', CLAMAV_PORT: 'clam' })).to.throw(ConfigError, /CLAMAV_PORT/);
  });

  it('keeps documents in PostgreSQL by default, in an S3-compatible bucket with DOCUMENT_STORE=s3', () => {
    expect(loadConfig({ DOCUMENT_STORE: 's3', S3_BUCKET: 'appeal-documents' }).documents.store).to.deep.equal({
      kind: 's3',
      endpoint: undefined,
      bucket: 'appeal-documents',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    const minio = { DOCUMENT_STORE: 's3', S3_BUCKET: 'docs', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_REGION: 'eu-west-2', S3_FORCE_PATH_STYLE: 'false' };
    expect(loadConfig(minio).documents.store).to.deep.equal({ kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'docs', region: 'eu-west-2', forcePathStyle: false });
    expect(() => loadConfig({ DOCUMENT_STORE: 's3' })).to.throw(ConfigError, /S3_BUCKET/);
    expect(() => loadConfig({ DOCUMENT_STORE: 'disk' })).to.throw(ConfigError, /DOCUMENT_STORE/);
    expect(() => loadConfig({ DOCUMENT_STORE: 's3', S3_BUCKET: 'docs', S3_ENDPOINT: 'not a url' })).to.throw(ConfigError, /S3_ENDPOINT/);
    expect(() => loadConfig({ DOCUMENT_STORE: 's3', S3_BUCKET: 'docs', S3_FORCE_PATH_STYLE: 'yes' })).to.throw(ConfigError, /S3_FORCE_PATH_STYLE/);
  });

  it('takes TRUST_PROXY as a boolean, a hop count or addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).to.equal('loopback, 10.0.0.0/8');
  });

  describe('sign-in for the pages', () => {
    const oidc = {
      OIDC_ISSUER_URL: 'https://login.example.gov.uk/realms/appeals',
      OIDC_CLIENT_ID: 'appeals',
      OIDC_REDIRECT_URL: 'https://appeals.example.gov.uk/sign-in/callback',
      SESSION_SECRET: 'x'.repeat(32),
    };

    it('is off until an issuer is set, and sessions idle out after 30 minutes', () => {
      const config = loadConfig({});
      expect(config.web.oidc).to.equal(undefined);
      expect(config.web.sessionIdleMinutes).to.equal(30);
    });

    it('reads the provider, with role and department claims named role and department unless told', () => {
      expect(loadConfig(oidc).web.oidc).to.deep.equal({
        issuerUrl: oidc.OIDC_ISSUER_URL,
        clientId: 'appeals',
        clientSecret: undefined,
        redirectUrl: oidc.OIDC_REDIRECT_URL,
        roleClaim: 'role',
        departmentClaim: 'department',
      });
      const named = loadConfig({ ...oidc, OIDC_ROLE_CLAIM: 'roles', OIDC_DEPARTMENT_CLAIM: 'dept', SESSION_IDLE_MINUTES: '15' });
      expect(named.web.oidc).to.include({ roleClaim: 'roles', departmentClaim: 'dept' });
      expect(named.web.sessionIdleMinutes).to.equal(15);
    });

    it('refuses an issuer without a client or a redirect, a short session secret, and plain http off this machine', () => {
      expect(() => loadConfig({ ...oidc, OIDC_CLIENT_ID: '' })).to.throw(ConfigError, /OIDC_CLIENT_ID/);
      expect(() => loadConfig({ ...oidc, SESSION_SECRET: 'short' })).to.throw(ConfigError, /SESSION_SECRET/);
      expect(() => loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://login.example.gov.uk' })).to.throw(ConfigError, /https/);
      expect(loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://127.0.0.1:3001' }).web.oidc?.issuerUrl).to.equal('http://127.0.0.1:3001');
    });
  });
});
