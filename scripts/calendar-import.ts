/**
 * `npm run calendar:import -- FILE --reason "why" [--api URL]` imports a GOV.UK bank-holidays.json
 * document as the next calendar version, through the API's PUT /v1/calendars (the same checks, the
 * same answer: the version, what changed and the deadlines it moves). The token is API_TOKEN, or
 * else an administrator's dev token signed with the secret `npm start` keeps.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { signDevToken } from '../api/auth/dev-tokens';
import { devSecretFile, readDevSecret } from './lib/dev-secret';

const USAGE = 'usage: npm run calendar:import -- <bank-holidays.json> --reason <why> [--api <url>]';

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values, positionals } = parseArguments();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError(`Give one file\n${USAGE}`);
  if (!values.reason) throw new UsageError(`--reason is required: say why the calendar changes\n${USAGE}`);
  let holidays: unknown;
  try {
    holidays = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  const config = loadConfig();
  const api = values.api ?? `http://127.0.0.1:${config.port}`;
  const response = await fetch(`${api}/v1/calendars`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await tokenFor(config)}` },
    body: JSON.stringify({ reason: values.reason, holidays }),
  }).catch((error: unknown) => {
    throw new UsageError(`No API at ${api} (${(error as Error).message}): start it with \`npm start\`, or give --api`);
  });
  const answer = await response.text();
  process.stdout.write(`${answer}\n`);
  if (!response.ok) process.exitCode = 1;
}

function parseArguments() {
  try {
    return parseArgs({
      options: { reason: { type: 'string' }, api: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

async function tokenFor(config: ReturnType<typeof loadConfig>): Promise<string> {
  if (process.env.API_TOKEN) return process.env.API_TOKEN;
  const secret = config.auth.jwtSecret ?? readDevSecret(config);
  if (!secret) throw new UsageError(`No token: set API_TOKEN to an administrator's token, or run \`npm start\` once so it creates ${devSecretFile(config)}.`);
  return signDevToken(secret, { role: 'admin', sub: 'calendar-import' }, { issuer: config.auth.issuer, audience: config.auth.audience, expiresIn: '5m' });
}

main().catch((error: unknown) => {
  const expected = error instanceof UsageError || error instanceof ConfigError;
  process.stderr.write(`${expected ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
