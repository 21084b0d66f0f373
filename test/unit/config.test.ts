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

  it('takes TRUST_PROXY as a boolean, a hop count or addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).to.equal('loopback, 10.0.0.0/8');
  });
});
