/**
 * A real SMTP server and a real webhook receiver on loopback, for the delivery tests: they keep
 * what they were sent, can refuse on demand, and the receiver checks signatures as a real one would.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const HOST = '127.0.0.1';

export interface ReceivedMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  queueId: string;
  receivedAt: Date;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** The copies received with this Message-ID. */
  copiesOf(messageId: string): ReceivedMail[];
  /** While refusing, every recipient is answered "451 try again later". */
  refuse(refusing: boolean): void;
  stop(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let refusing = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!refusing) return callback();
      callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const queueId = randomUUID();
          received.push({ ...summary(mail), queueId, receivedAt: new Date() });
          callback(null, `Message queued as ${queueId}`);
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${HOST}:${port}`,
    received,
    copiesOf: (messageId) => received.filter((mail) => mail.messageId === messageId),
    refuse: (value) => (refusing = value),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function summary(mail: ParsedMail): Omit<ReceivedMail, 'queueId' | 'receivedAt'> {
  const to = ([] as AddressObject[]).concat(mail.to ?? []).flatMap((group) => group.value.map((a) => a.address ?? ''));
  const attachments = mail.attachments.map(({ filename, contentType, content }) => ({ filename: filename ?? '', contentType, content }));
  return { messageId: mail.messageId ?? '', to, subject: mail.subject ?? '', text: mail.text ?? '', html: mail.html || '', attachments };
}

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

export interface TestWebhookReceiver {
  url: string;
  secret: string;
  received: ReceivedWebhook[];
  /** Answer the next `count` requests 503, as a receiver having trouble would. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

/** How a receiver checks a notice: the HMAC over "<timestamp>.<body>", and a timestamp no older than 5 minutes. */
export function verifyWebhook(secret: string, request: { timestamp: string; signature: string; body: string }, now = new Date()): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${request.timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(request.signature);
  const fresh = Math.abs(now.getTime() / 1000 - Number(request.timestamp)) <= 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

export function signedPartsOf(webhook: ReceivedWebhook): { timestamp: string; signature: string; body: string } {
  return {
    timestamp: String(webhook.headers['x-appeals-timestamp']),
    signature: String(webhook.headers['x-appeals-signature']),
    body: webhook.body,
  };
}

export async function startWebhookReceiver(): Promise<TestWebhookReceiver> {
  const secret = randomUUID();
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        response.writeHead(503).end();
        return;
      }
      const webhook = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), verified: false };
      webhook.verified = verifyWebhook(secret, signedPartsOf(webhook));
      received.push(webhook);
      response.writeHead(webhook.verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}/notices`,
    secret,
    received,
    failNext: (count) => (failures = count),
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Poll until `check` answers a value (not undefined), for at most `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
