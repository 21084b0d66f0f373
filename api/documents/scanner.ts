/**
 * The virus scan: every upload's bytes pass through a scan session as they stream, before the
 * document is accepted. With CLAMAV_HOST set, clamd scans them (its INSTREAM command over TCP) and
 * a document is recorded `clean`; a scanner that cannot answer refuses the upload (fail closed).
 * With none configured a document is recorded `unscanned`.
 */
import { once } from 'node:events';
import net from 'node:net';
import type { ScanResult } from '../../domain/documents';
import { unavailable } from '../errors';

export interface ScanSession {
  /** Resolves once the scanner can take more (its back-pressure); a failure shows in `finish`. */
  write(chunk: Buffer): Promise<void>;
  /** Once every byte was written: clean, unscanned, or infected (the upload is refused); 503 when the scanner failed. */
  finish(): Promise<ScanResult | 'infected'>;
  /** The upload ended without `finish` (refused on the way): the session is dropped. */
  cancel(): void;
}

export interface VirusScanner {
  start(): ScanSession;
}

export const NO_VIRUS_SCANNER: VirusScanner = {
  start: () => ({ write: () => Promise.resolve(), finish: () => Promise.resolve('unscanned' as const), cancel: () => undefined }),
};

/** How long clamd may take to accept the connection, and to answer once the stream has ended. */
const CLAMD_TIMEOUT_MS = 60_000;

/** clamd's answer to INSTREAM: `stream: OK`, or `stream: <signature> FOUND`; anything else (an `… ERROR`) is no verdict. */
export function clamdVerdict(reply: string): 'clean' | 'infected' | undefined {
  const answer = reply.replace(/\0/g, '').trim();
  if (answer === 'stream: OK') return 'clean';
  if (/^stream: .+ FOUND$/.test(answer)) return 'infected';
  return undefined;
}

/** An INSTREAM chunk's 4-byte big-endian length. */
function lengthOf(size: number): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(size);
  return prefix;
}

/** clamd (clamav-daemon) at host:port. Its StreamMaxLength must be at least DOCUMENT_MAX_MB, or every larger upload is refused with 503. */
export class ClamdScanner implements VirusScanner {
  constructor(private readonly address: { host: string; port: number }) {}

  start(): ScanSession {
    return new ClamdSession(this.address);
  }
}

/** One INSTREAM: `zINSTREAM\0`, each chunk after its length, a zero length to end, then the verdict ending in NUL. */
class ClamdSession implements ScanSession {
  private readonly socket: net.Socket;
  private reply = '';
  private failure: Error | undefined;
  /** Resolves when the connection is over: the whole reply read, or a failure. */
  private readonly ended: Promise<void>;

  constructor(address: { host: string; port: number }) {
    this.socket = net.connect(address);
    this.socket.setTimeout(CLAMD_TIMEOUT_MS, () => this.socket.destroy(new Error(`no answer within ${CLAMD_TIMEOUT_MS / 1000} s`)));
    this.socket.once('connect', () => this.socket.setTimeout(0));
    this.socket.on('data', (data: Buffer) => {
      this.reply += data.toString('latin1');
      if (this.reply.includes('\0')) this.socket.destroy();
    });
    this.socket.on('error', (error) => {
      this.failure ??= error;
    });
    this.ended = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.write('zINSTREAM\0');
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.socket.destroyed || chunk.length === 0) return;
    this.socket.write(lengthOf(chunk.length));
    if (!this.socket.write(chunk)) await Promise.race([once(this.socket, 'drain').catch(() => undefined), this.ended]);
  }

  async finish(): Promise<'clean' | 'infected'> {
    if (!this.socket.destroyed) {
      this.socket.setTimeout(CLAMD_TIMEOUT_MS);
      this.socket.write(lengthOf(0));
    }
    await this.ended;
    const verdict = clamdVerdict(this.reply);
    if (verdict) return verdict;
    const why = this.reply.replace(/\0/g, '').trim() || this.failure?.message || 'no answer';
    throw unavailable('The virus scanner could not scan the file, so it was not kept; try again shortly', new Error(`clamd: ${why}`, { cause: this.failure }));
  }

  cancel(): void {
    this.socket.destroy();
  }
}
