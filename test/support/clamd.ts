/**
 * A real clamd (Debian's clamav-daemon) for the tests, on a free port of 127.0.0.1. The virus
 * database cannot be downloaded here, so its database directory holds only the test's own
 * signatures: MD5 signatures (`md5:size:Name`, an .hdb file) of files the test makes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../scripts/lib/ports';
import { spawnCollecting, waitUntil } from './processes';

const CLAMD = ['/usr/sbin/clamd', '/usr/bin/clamd'];

export interface Clamd {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** An MD5 signature of `bytes` under `name`, as a line of an .hdb file. */
export const md5Signature = (bytes: Buffer, name: string): string => `${createHash('md5').update(bytes).digest('hex')}:${bytes.length}:${name}`;

/** Answers when clamd answers PING. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('zPING\0'));
    let reply = '';
    socket.on('data', (data: Buffer) => {
      reply += data.toString();
      if (reply.includes('\0')) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(reply.startsWith('PONG')));
  });
}

/** Start clamd with the given signature lines as its whole database; fails with one line when clamd is not installed. */
export async function startClamd(signatures: string[]): Promise<Clamd> {
  const binary = CLAMD.find((file) => fs.existsSync(file));
  if (!binary) throw new Error('clamd is not installed: apt-get install -y clamav-daemon');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-clamd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  fs.writeFileSync(path.join(dir, 'db', 'test.hdb'), `${signatures.join('\n')}\n`);
  const port = await findFreePort();
  const conf = path.join(dir, 'clamd.conf');
  fs.writeFileSync(
    conf,
    [`DatabaseDirectory ${path.join(dir, 'db')}`, `TCPSocket ${port}`, 'TCPAddr 127.0.0.1', 'Foreground yes', 'StreamMaxLength 100M', `TemporaryDirectory ${dir}`].join('\n'),
  );
  const clamd = spawnCollecting(binary, ['-c', conf], {});
  const stop = async () => {
    clamd.signal('SIGTERM');
    await clamd.exit(15_000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(`clamd answering on 127.0.0.1:${port}`, () => pings(port), 60_000, () => clamd.exited());
  } catch (error) {
    await stop().catch(() => undefined);
    throw new Error(`clamd did not start: ${(error as Error).message}; its output:\n${clamd.output()}`, { cause: error });
  }
  return { host: '127.0.0.1', port, stop };
}
