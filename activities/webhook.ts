/**
 * The optional webhook: each notice POSTed as JSON, signed so the receiver can tell it came from
 * us and was not changed. `X-Appeals-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * with the secret, `X-Appeals-Timestamp` in Unix seconds (receivers should refuse old ones).
 */
import { createHmac } from 'node:crypto';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface NoticePayload {
  id: string;
  kind: string;
  appealId: string;
  reference: string;
  recipient: string;
  recipientRole: string;
  deadline: string | null;
  dueAt: string | null;
}

export const TIMESTAMP_HEADER = 'X-Appeals-Timestamp';
export const SIGNATURE_HEADER = 'X-Appeals-Signature';
const TIMEOUT_MS = 15_000;

export class WebhookRefusedError extends Error {
  override name = 'WebhookRefusedError';
}

export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Resolves once the receiver answered 2xx. */
export async function postNotice(target: WebhookTarget, payload: NoticePayload, now: Date): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signatureOf(target.secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new WebhookRefusedError(`webhook answered ${response.status} ${response.statusText}`);
}
