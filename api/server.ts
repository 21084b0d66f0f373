import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createApp } from './app';
import { answerClientError } from './client-errors';

export interface RunningServer {
  url: string;
  /** Stops gracefully (see stopServer), within the config's shutdown grace period. */
  close(): Promise<void>;
}

export interface ServerOptions {
  port: number;
  dataSource: DataSource;
  client: Client;
  config: Config;
}

/** After the grace period, how long the calls cut short get to answer their 503 before their connections are closed. */
const CUT_SHORT_MS = 2_000;

/** Start the API; port 0 picks a free port (tests). */
export async function startServer({ port, dataSource, client, config }: ServerOptions): Promise<RunningServer> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const logger = pino({ level: config.logLevel });
  const stopping = new AbortController();
  const app = createApp({ dataSource, client, config, logger, stopping: stopping.signal });
  const server = app.listen(port);
  const inFlight = new InFlight(server);
  server.on('clientError', answerClientError(logger));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${actualPort}`;
  logger.info({ url }, 'API listening');
  return { url, close: () => stopServer(server, { graceMs: config.shutdownGraceMs, stopping, inFlight, logger }) };
}

export interface StopOptions {
  /** How long the requests in flight may take to finish (default 0: cut them short at once). */
  graceMs?: number;
  /** Aborted when the grace period is over: the action calls still waiting answer 503. */
  stopping?: AbortController;
  inFlight?: InFlight;
  logger?: Logger;
}

/**
 * Stop taking connections, let the requests in flight finish within the grace period (each answer
 * then closes its connection), abort what still waits so that it answers 503, then close every
 * connection. Without `inFlight` (a server not made by startServer), close every connection at once.
 */
export async function stopServer(server: Server, { graceMs = 0, stopping, inFlight, logger }: StopOptions = {}): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  if (inFlight) {
    logger?.info({ inFlight: inFlight.size, graceMs }, 'API stopping: letting the requests in flight finish');
    inFlight.closeConnectionsAfterwards();
    server.closeIdleConnections();
    if (!(await inFlight.drained(graceMs)) && stopping) {
      logger?.warn({ inFlight: inFlight.size }, 'grace period over: the calls still waiting answer 503');
      stopping.abort();
      await inFlight.drained(CUT_SHORT_MS);
    }
  }
  server.closeAllConnections();
  await closed;
}

/** The responses a server has not finished yet. */
export class InFlight {
  private readonly responses = new Set<ServerResponse>();
  private closing = false;

  constructor(server: Server) {
    // Before the app's own listener, so that headers can still be set.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => this.add(res));
  }

  get size(): number {
    return this.responses.size;
  }

  /** From now on every answer closes its connection (keep-alive would hold the server open). */
  closeConnectionsAfterwards(): void {
    this.closing = true;
    for (const res of this.responses) if (!res.headersSent) res.setHeader('Connection', 'close');
  }

  /** True once every response has finished, false when `timeoutMs` passes first. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.responses.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const timeout = new AbortController();
      const [oldest] = this.responses;
      await Promise.race([once(oldest, 'close', { signal: timeout.signal }), delay(left, undefined, { signal: timeout.signal })]).catch(() => undefined);
      timeout.abort();
    }
    return true;
  }

  private add(res: ServerResponse): void {
    if (this.closing) res.setHeader('Connection', 'close');
    this.responses.add(res);
    res.once('close', () => this.responses.delete(res));
  }
}
