import path from 'node:path';
import { z } from 'zod';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';

/**
 * The one place that reads the environment. Every process (api, worker, migrate, start, tests)
 * calls loadConfig() once at start and passes the typed result on.
 */
const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.url().optional());

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: optionalUrl,
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('public'),
  DATA_DIR: z.string().default('.data'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('appeals'),
  AUTH_JWT_SECRET: optionalString,
  AUTH_JWKS_URL: optionalUrl,
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  ACTION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default('Mutuals appeals <appeals@localhost>'),
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET: optionalString,
  CASEWORKER_TEAM_EMAIL: z.string().default('caseworkers@localhost'),
  TRUST_PROXY: optionalString,
  WORKFLOW_BUNDLE_PATH: optionalString,
  // Test-only (the fault suite): see Config.faults.
  FAULTS_FAIL_AFTER_COMMIT: z.coerce.number().min(0).max(1).default(0),
}).refine((e) => !e.WEBHOOK_URL || e.WEBHOOK_SECRET, {
  message: 'WEBHOOK_URL is set without WEBHOOK_SECRET: webhook notices must be signed',
  path: ['WEBHOOK_SECRET'],
});

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  databaseSchema: string;
  dataDir: string;
  temporal: ClientConnectConfig & { namespace: string; taskQueue: string; addressGiven: boolean };
  auth: { jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  rateLimitPerMinute: number;
  /** How long an action call waits for the workflow to record it before answering 503. */
  actionTimeoutMs: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | number | string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** A workflow bundle built beforehand (bundleWorkflowCode's code), so a worker starts without bundling. */
  workflowBundlePath: string | undefined;
  mail: { smtpUrl?: string; from: string; caseworkerTeam: string };
  webhook: { url?: string; secret?: string };
  /**
   * Test-only, off (0) by default: the share of first attempts of the recording activities
   * (openAppeal, recordStep, deliverNotice) that throw after their transaction committed, as if
   * the answer were lost. The fault suite sets it to prove that retries write nothing twice.
   */
  faults: { failAfterCommit: number };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const temporal = loadClientConnectConfig({
    overrideEnvVars: definedOnly(env),
    disableFile: !env.TEMPORAL_CONFIG_FILE && !env.TEMPORAL_PROFILE,
  });
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    dataDir: path.resolve(e.DATA_DIR),
    temporal: {
      ...temporal,
      connectionOptions: { ...temporal.connectionOptions, address: temporal.connectionOptions.address ?? 'localhost:7233' },
      namespace: temporal.namespace ?? 'default',
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      addressGiven: Boolean(env.TEMPORAL_ADDRESS),
    },
    auth: { jwtSecret: e.AUTH_JWT_SECRET, jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    actionTimeoutMs: e.ACTION_TIMEOUT_SECONDS * 1000,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH === undefined ? undefined : path.resolve(e.WORKFLOW_BUNDLE_PATH),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, caseworkerTeam: e.CASEWORKER_TEAM_EMAIL },
    webhook: { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET },
    faults: { failAfterCommit: e.FAULTS_FAIL_AFTER_COMMIT },
  };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** `true`/`false`, a number of hops, or addresses and subnets as Express takes them. */
function trustProxyOf(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
