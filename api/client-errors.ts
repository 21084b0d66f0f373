/**
 * Requests Node's HTTP parser refuses before Express sees them: a header block over Node's limit
 * (431), obs-fold, Content-Length with Transfer-Encoding, bytes that are not HTTP (400), a request
 * that takes too long to arrive (408). Node would answer a bare status line; these answer like
 * every other refusal: problem+json with a request id and helmet's security headers.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { securityHeaders } from './app';
import { AppError, problemJson } from './errors';

type ClientError = Error & { code?: string; reason?: string };

/** The server's 'clientError' listener: answer the refusal, then close the connection. */
export function answerClientError(logger: Logger): (error: ClientError, socket: Duplex) => void {
  const security = headersSetBy(securityHeaders);
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    const refusal = refusalFor(error);
    const requestId = randomUUID();
    logger.info({ reqId: requestId, code: error.code, status: refusal.status }, 'request refused by the HTTP parser');
    const body = problemJson(refusal, { requestId });
    const headers = {
      ...security,
      'Content-Type': 'application/problem+json',
      'Content-Length': String(Buffer.byteLength(body)),
      'X-Request-Id': requestId,
      Connection: 'close',
    };
    const head = [`HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
    socket.once('finish', () => socket.destroy());
  };
}

function refusalFor(error: ClientError): AppError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError(431, `The request's header block is larger than the ${http.maxHeaderSize / 1024} KiB limit`);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError(408, 'The request took too long to arrive');
    default:
      return new AppError(400, `The request is not well-formed HTTP/1.1${error.reason ? `: ${error.reason}` : ''}`);
  }
}

/** Whether an answer to an earlier request on this connection has begun: writing another would corrupt it. */
function responseStarted(socket: Duplex): boolean {
  return (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
}

/** The headers a middleware that only sets headers (helmet) puts on every answer. */
function headersSetBy(middleware: RequestHandler): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: unknown) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
  };
  middleware({} as Request, collector as unknown as Response, () => undefined);
  return headers;
}
