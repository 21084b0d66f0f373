import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';

/** Where `npm start` keeps the JWT secret it made when AUTH_JWT_SECRET is unset. */
export const devSecretFile = (config: Config): string => path.join(config.dataDir, 'jwt-secret');

/** The kept secret, if `npm start` has made one. */
export function readDevSecret(config: Config): string | undefined {
  const file = devSecretFile(config);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

/** A secret kept under DATA_DIR (e.g. the session secret), made on first use. */
export function keptSecret(config: Config, name: string): string {
  const file = path.join(config.dataDir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
