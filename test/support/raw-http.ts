/**
 * Requests written byte for byte on a bare TCP socket (node:net), for what fetch will not send:
 * invalid UTF-8 bodies, header blocks over Node's limit, obs-fold, Content-Length with
 * Transfer-Encoding, path segments that fetch would normalise. Every answer is checked against the
 * OpenAPI document, exactly like an answer to `harness().api`.
 */
import net from 'node:net';
import { harness, type ApiResponse } from '../harness';
import { assertConforms } from './openapi';

export interface RawRequest {
  method: string;
  /** Sent as is: nothing is encoded or normalised. */
  path: string;
  /** Header lines, sent in this order, as is (as UTF-8; a value may hold any character but CR and LF). */
  headers?: [string, string][];
  body?: Buffer | string;
  /** Leave out the Content-Length that is otherwise added for a body. */
  noContentLength?: boolean;
}

/** Send `request` on a fresh connection (closed after the answer) and answer the parsed response. */
export async function rawApi(request: RawRequest): Promise<ApiResponse> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${new URL(harness().apiUrl).host}`, 'Connection: close'];
  for (const [name, value] of request.headers ?? []) lines.push(`${name}: ${value}`);
  if (body && !request.noContentLength) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  const response = parseResponse(await exchange(body ? Buffer.concat([head, body]) : head));
  await assertConforms(request.method, request.path, response);
  return response;
}

/** Write the bytes, read until the server closes the connection. */
function exchange(bytes: Buffer): Promise<Buffer> {
  const { hostname, port } = new URL(harness().apiUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Not half-closed after writing: Node's server would drop a request still in progress.
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that refuses a request before reading all of it may reset the connection after answering.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' && chunks.length > 0 ? undefined : reject(error)));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

function parseResponse(raw: Buffer): ApiResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`not an HTTP response: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
  if (!status) throw new Error(`not an HTTP/1.1 status line: ${statusLine}`);
  const headers = new Headers();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  let payload = raw.subarray(end + 4);
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) payload = dechunk(payload);
  else if (headers.has('content-length')) payload = payload.subarray(0, Number(headers.get('content-length')));
  const text = payload.toString('utf8');
  const isJson = /[/+]json\b/.test(headers.get('content-type') ?? '');
  return { status, headers, body: isJson && text ? JSON.parse(text) : text };
}

function dechunk(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = payload.indexOf('\r\n', at);
    const size = parseInt(payload.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(payload.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
