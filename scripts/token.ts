/**
 * `npm run token -- --role arbiter --sub arb-1 [--department HO] [--expires 12h]` prints a dev
 * token signed with AUTH_JWT_SECRET, or else with the secret `npm start` keeps in DATA_DIR/jwt-secret.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { callerFromClaims } from '../api/auth/claims';
import { signDevToken } from '../api/auth/dev-tokens';
import { ROLES, type Role } from '../domain/appeal';
import { devSecretFile, readDevSecret } from './lib/dev-secret';

const USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> --sub <user id> [--department <code>] [--expires <span, e.g. 12h>]`;

class UsageError extends Error {}

async function main(): Promise<void> {
  let values: { role?: string; sub?: string; department?: string; expires?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string', short: 'r' },
        sub: { type: 'string', short: 's' },
        department: { type: 'string', short: 'd' },
        expires: { type: 'string', short: 'e' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.role || !(ROLES as readonly string[]).includes(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
  if (!values.sub) throw new UsageError(`--sub is required\n${USAGE}`);
  // Mint only what the API accepts, e.g. a manager always with --department.
  const claims = callerFromClaims({ role: values.role, sub: values.sub, department: values.department });
  if ('problem' in claims) throw new UsageError(`${claims.problem}\n${USAGE}`);

  const config = loadConfig();
  const secret = config.auth.jwtSecret ?? readDevSecret(config);
  if (!secret) {
    throw new UsageError(`No signing secret: set AUTH_JWT_SECRET, or run \`npm start\` once so it creates ${devSecretFile(config)}.`);
  }
  const token = await signDevToken(
    secret,
    { role: values.role as Role, sub: values.sub, department: values.department },
    { issuer: config.auth.issuer, audience: config.auth.audience, expiresIn: values.expires },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  const expected = error instanceof UsageError || error instanceof ConfigError;
  process.stderr.write(`${expected ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
