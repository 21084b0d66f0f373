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
