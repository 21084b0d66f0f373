import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createApp } from './app';
import { answerClientError } from './client-errors';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port: number;
  dataSource: DataSource;
  client: Client;
  config: Config;
}

/** Start the API; port 0 picks a free port (tests). */
export async function startServer({ port, dataSource, client, config }: ServerOptions): Promise<RunningServer> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const logger = pino({ level: config.logLevel });
  const app = createApp({ dataSource, client, config, logger });
  const server = app.listen(port);
  server.on('clientError', answerClientError(logger));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${actualPort}`;
  logger.info({ url }, 'API listening');
  return { url, close: () => stopServer(server) };
}

export async function stopServer(server: import('node:http').Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
