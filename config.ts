import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { checkpointKeyFromPem, type CheckpointKey } from './domain/checkpoint';

/**
 * The one place that reads the environment. Every process (api, worker, migrate, start, tests)
 * calls loadConfig() once at start and passes the typed result on.
 */
const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.url().optional());

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: optionalUrl,
  PUBLIC_URL: optionalUrl,
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('public'),
  DATA_DIR: z.string().default('.data'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('appeals'),
  AUTH_JWT_SECRET: optionalString,
  AUTH_JWKS_URL: optionalUrl,
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  ACTION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default('Mutuals appeals <appeals@localhost>'),
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET: optionalString,
  CASEWORKER_TEAM_EMAIL: z.string().default('caseworkers@localhost'),
  TRUST_PROXY: optionalString,
  OIDC_ISSUER_URL: optionalUrl,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_REDIRECT_URL: optionalUrl,
  OIDC_ROLE_CLAIM: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('role')),
  OIDC_DEPARTMENT_CLAIM: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('department')),
  SESSION_SECRET: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(32, 'must be at least 32 characters').optional()),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  WORKFLOW_BUNDLE_PATH: optionalString,
  CHECKPOINT_INTERVAL_HOURS: z.coerce.number().positive().max(24 * 366).default(24),
  CHECKPOINT_SIGNING_KEY: optionalString,
  CHECKPOINT_SIGNING_KEY_FILE: optionalString,
  DOCUMENT_MAX_MB: z.coerce.number().int().min(1).max(1024).default(20),
  CLAMAV_HOST: optionalString,
  CLAMAV_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
  DOCUMENT_STORE: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['postgres', 's3']).default('postgres')),
  S3_ENDPOINT: optionalUrl,
  S3_BUCKET: optionalString,
  S3_REGION: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('us-east-1')),
  S3_FORCE_PATH_STYLE: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['true', 'false']).default('true')),
  // Test-only (the fault suite): see Config.faults.
  FAULTS_FAIL_AFTER_COMMIT: z.coerce.number().min(0).max(1).default(0),
})
  .refine((e) => !e.WEBHOOK_URL || e.WEBHOOK_SECRET, {
    message: 'WEBHOOK_URL is set without WEBHOOK_SECRET: webhook notices must be signed',
    path: ['WEBHOOK_SECRET'],
  })
  .refine((e) => !e.OIDC_ISSUER_URL || (e.OIDC_CLIENT_ID && e.OIDC_REDIRECT_URL), {
    message: 'OIDC_ISSUER_URL is set without OIDC_CLIENT_ID and OIDC_REDIRECT_URL: sign-in needs all three',
    path: ['OIDC_ISSUER_URL'],
  })
  .refine((e) => !(e.CHECKPOINT_SIGNING_KEY && e.CHECKPOINT_SIGNING_KEY_FILE), {
    message: 'set CHECKPOINT_SIGNING_KEY or CHECKPOINT_SIGNING_KEY_FILE, not both',
    path: ['CHECKPOINT_SIGNING_KEY'],
  })
  .refine((e) => e.DOCUMENT_STORE !== 's3' || e.S3_BUCKET, {
    message: 'DOCUMENT_STORE=s3 needs S3_BUCKET (and S3_ENDPOINT for a store other than AWS)',
    path: ['S3_BUCKET'],
  })
  .refine((e) => !e.OIDC_ISSUER_URL || isHttpsOrLoopback(e.OIDC_ISSUER_URL), {
    message: 'OIDC_ISSUER_URL must use https (plain http only for a provider on this machine)',
    path: ['OIDC_ISSUER_URL'],
  });

function isHttpsOrLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || (protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname));
}

export interface Config {
  port: number;
  /** Where people reach the service: links in notices and the register's feed start with it. */
  publicUrl: string;
  databaseUrl: string | undefined;
  databaseSchema: string;
  dataDir: string;
  temporal: ClientConnectConfig & { namespace: string; taskQueue: string; addressGiven: boolean };
  auth: { jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  rateLimitPerMinute: number;
  /** How long an action call waits for the workflow to record it before answering 503. */
  actionTimeoutMs: number;
  /** How long a stopping API or worker lets the work in flight finish before cutting it short. */
  shutdownGraceMs: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | number | string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** A workflow bundle built beforehand (bundleWorkflowCode's code), so a worker starts without bundling. */
  workflowBundlePath: string | undefined;
  mail: { smtpUrl?: string; from: string; caseworkerTeam: string };
  /** Documents on an appeal: the largest file taken, in bytes; clamd, when uploads are scanned; where the bytes are kept. */
  documents: { maxBytes: number; clamav?: { host: string; port: number }; store: DocumentStoreConfig };
  webhook: { url?: string; secret?: string };
  web: WebConfig;
  /** Signed checkpoints of every timeline: how often the worker's schedule makes one, and the key (none: none are made). */
  checkpoints: { intervalHours: number; signingKey?: CheckpointKey };
  /**
   * Test-only, off (0) by default: the share of first attempts of the recording activities
   * (openAppeal, recordStep, deliverNotice) that throw after their transaction committed, as if
   * the answer were lost. The fault suite sets it to prove that retries write nothing twice.
   */
  faults: { failAfterCommit: number };
}

/** PostgreSQL (the default), or an S3-compatible bucket, whose credentials come through the AWS SDK's usual chain (AWS_ACCESS_KEY_ID…). */
export type DocumentStoreConfig = { kind: 'postgres' } | { kind: 's3'; endpoint?: string; bucket: string; region: string; forcePathStyle: boolean };

/** The pages: sign-in with OpenID Connect (absent: the pages say sign-in is not set up) and sessions. */
export interface WebConfig {
  oidc?: { issuerUrl: string; clientId: string; clientSecret?: string; redirectUrl: string; roleClaim: string; departmentClaim: string };
  sessionSecret?: string;
  sessionIdleMinutes: number;
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
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
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
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH === undefined ? undefined : path.resolve(e.WORKFLOW_BUNDLE_PATH),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, caseworkerTeam: e.CASEWORKER_TEAM_EMAIL },
    webhook: { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET },
    documents: {
      maxBytes: e.DOCUMENT_MAX_MB * 1024 * 1024,
      clamav: e.CLAMAV_HOST ? { host: e.CLAMAV_HOST, port: e.CLAMAV_PORT } : undefined,
      store:
        e.DOCUMENT_STORE === 's3' && e.S3_BUCKET
          ? { kind: 's3', endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET, region: e.S3_REGION, forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true' }
          : { kind: 'postgres' },
    },
    web: {
      oidc:
        e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID && e.OIDC_REDIRECT_URL
          ? {
              issuerUrl: e.OIDC_ISSUER_URL,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              redirectUrl: e.OIDC_REDIRECT_URL,
              roleClaim: e.OIDC_ROLE_CLAIM,
              departmentClaim: e.OIDC_DEPARTMENT_CLAIM,
            }
          : undefined,
      sessionSecret: e.SESSION_SECRET,
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    },
    checkpoints: { intervalHours: e.CHECKPOINT_INTERVAL_HOURS, signingKey: checkpointKeyOf(e.CHECKPOINT_SIGNING_KEY, e.CHECKPOINT_SIGNING_KEY_FILE) },
    faults: { failAfterCommit: e.FAULTS_FAIL_AFTER_COMMIT },
  };
}

/**
 * The checkpoint signing key given as PEM (literal `\n` taken as line breaks, as env files write
 * them) or in a file; a key that cannot be used fails the start with one line saying why.
 */
export function checkpointKeyOf(pem: string | undefined, file: string | undefined): CheckpointKey | undefined {
  const [name, text] = file ? ['CHECKPOINT_SIGNING_KEY_FILE', readKeyFile(file)] : ['CHECKPOINT_SIGNING_KEY', pem?.replace(/\\n/g, '\n')];
  if (text === undefined) return undefined;
  try {
    return checkpointKeyFromPem(text);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${name}: ${(error as Error).message}`, { cause: error });
  }
}

function readKeyFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration: CHECKPOINT_SIGNING_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
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
