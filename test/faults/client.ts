/**
 * The fault suite's HTTP client: every attempt is counted by status, every answer the contract
 * forbids (a 5xx other than 503, a 503 that is not problem+json, no answer at all) is kept as a
 * defect, and a call refused with 503 or cut off by a dying API is retried with the same
 * Idempotency-Key, as a well-behaved client would.
 */
import { ACTION_TIMEOUT_SECONDS } from './system';

export interface CallRequest {
  token?: string;
  body?: unknown;
  /** The Idempotency-Key, the same on every retry. */
  key?: string;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  ms: number;
}

/** An attempt that got no answer: the connection was refused or cut, or nothing came back in time. */
export class NoAnswer extends Error {}

const RETRY_FOR_MS = 240_000;

/** An answer the contract forbids. */
export interface Defect {
  /** e.g. "POST /v1/appeals/{id}/decision answered 500". */
  what: string;
  /** The API's request id, to find the cause in its log. */
  requestId?: string;
}

export class Traffic {
  attempts = 0;
  readonly byStatus = new Map<number, number>();
  /** Attempts that got no answer (refused or cut connections). */
  noAnswer = 0;
  /** What the contract forbids: 5xx other than 503, 503 without problem+json, calls that hung. */
  readonly defects: Defect[] = [];
  /** The slowest answer of each status. */
  readonly slowest = new Map<number, number>();

  record(method: string, path: string, answer: Answer): void {
    this.attempts += 1;
    this.byStatus.set(answer.status, (this.byStatus.get(answer.status) ?? 0) + 1);
    this.slowest.set(answer.status, Math.max(this.slowest.get(answer.status) ?? 0, answer.ms));
    const problemJson = /^application\/problem\+json/.test(answer.headers.get('content-type') ?? '');
    const requestId = typeof answer.body?.requestId === 'string' ? (answer.body.requestId as string) : undefined;
    const call = `${method} ${routeOf(path)}`;
    if (answer.status >= 500 && answer.status !== 503) this.defects.push({ what: `${call} answered ${answer.status}`, requestId });
    // /readyz answers its documented Readiness JSON, 503 included; every other 503 is problem+json.
    if (answer.status === 503 && !problemJson && path !== '/readyz') this.defects.push({ what: `${call} answered 503 without problem+json`, requestId });
  }

  count(status: number): number {
    return this.byStatus.get(status) ?? 0;
  }

  /** 5xx answers other than 503. */
  get serverErrors(): number {
    return [...this.byStatus].filter(([status]) => status >= 500 && status !== 503).reduce((sum, [, n]) => sum + n, 0);
  }

  summary(): Record<string, number> {
    return { attempts: this.attempts, '503 (retried)': this.count(503), 'no answer (retried)': this.noAnswer, '5xx other than 503': this.serverErrors };
  }
}

/** Thrown to every call once the scenario has ended (a failed scenario may leave drivers running). */
export class ClientStopped extends Error {}

/** The route of a path: ids replaced by {id}, so answers group by call. */
const routeOf = (path: string): string => path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}');

export class ApiClient {
  private stopped = false;
  /**
   * Longer than any call may take: an action answers 503 after the API's action timeout. The
   * margin is wide because the suite may share a busy machine; a call that never answers is caught.
   */
  private readonly hangMs: number;

  constructor(
    readonly baseUrl: string,
    actionTimeoutSeconds = ACTION_TIMEOUT_SECONDS,
    readonly traffic = new Traffic(),
  ) {
    this.hangMs = actionTimeoutSeconds * 1000 + 30_000;
  }

  /** End every call in progress at its next attempt, and refuse new ones. */
  stop(): void {
    this.stopped = true;
  }

  /** One attempt. Throws NoAnswer when the API is not there or does not answer in time. */
  async send(method: string, path: string, request: CallRequest = {}): Promise<Answer> {
    if (this.stopped) throw new ClientStopped(`${method} ${path}: the scenario has ended`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.key) headers['idempotency-key'] = request.key;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.hangMs),
      });
      text = await response.text();
    } catch (error) {
      this.traffic.noAnswer += 1;
      if ((error as Error).name === 'TimeoutError') this.traffic.defects.push({ what: `${method} ${routeOf(path)} hung: no answer within ${this.hangMs} ms` });
      throw new NoAnswer(`${method} ${path}: ${(error as Error).message}`, { cause: error });
    }
    const isJson = /[/+]json\b/.test(response.headers.get('content-type') ?? '');
    const answer = { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text, ms: Date.now() - started };
    this.traffic.record(method, path, answer);
    return answer;
  }

  /**
   * Call until the answer is final: a 503 or no answer is retried with the same request (and so the
   * same Idempotency-Key), backing off up to two seconds, for at most `retryForMs`. Other 5xx are
   * retried too (the action may or may not have taken effect; the key makes a repeat safe), after
   * Traffic has kept them as defects, so a scenario runs to its end and reports every number.
   */
  async call(method: string, path: string, request: CallRequest = {}, retryForMs = RETRY_FOR_MS): Promise<Answer> {
    const giveUpAt = Date.now() + retryForMs;
    for (let attempt = 1; ; attempt++) {
      let last: string;
      try {
        const answer = await this.send(method, path, request);
        if (answer.status < 500) return answer;
        last = `${answer.status} ${JSON.stringify(answer.body)}`;
      } catch (error) {
        if (!(error instanceof NoAnswer)) throw error;
        last = error.message;
      }
      if (Date.now() > giveUpAt) throw new Error(`${method} ${path} still failing after ${attempt} attempts (${retryForMs} ms): ${last}`);
      await pause(Math.min(2_000, 200 * attempt));
    }
  }

  /** Call and expect a status (after retries); answers the body. */
  async expect(status: number, method: string, path: string, request: CallRequest = {}): Promise<any> {
    const answer = await this.call(method, path, request);
    if (answer.status !== status) throw new Error(`${method} ${path} answered ${answer.status}, expected ${status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

/** Paces retries and random fault timing; never a stand-in for awaiting a condition. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Random moments for faults, reproducible: FAULT_SEED (tooling) replays a run's seed, which each
 * scenario prints.
 */
export function faultTiming(): { seed: number; between(minMs: number, maxMs: number): number } {
  const seed = Number(process.env.FAULT_SEED) || Math.floor(Math.random() * 2 ** 31);
  let state = seed;
  // mulberry32: a small, good-enough generator for spreading faults over time.
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, between: (minMs, maxMs) => Math.round(minMs + next() * (maxMs - minMs)) };
}

/** `work` on every item, at most `limit` at a time; answers the results in the items' order, or the first failure. */
export async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    // After a failure no new work starts: the caller is about to give up.
    for (let index = next++; index < items.length && !failed; index = next++) {
      results[index] = await work(items[index], index).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
