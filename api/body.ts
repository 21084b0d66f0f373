/**
 * Reading the JSON bodies of writes. Before JSON.parse sees a body, one pass over its bytes refuses
 * (400) what JSON.parse would otherwise accept silently or pay for: bytes that are not UTF-8
 * (decoded leniently they would be stored as U+FFFD), nesting deeper than MAX_JSON_DEPTH, and an
 * object naming one key twice (JSON.parse keeps the last, another reader might keep the first).
 * The body limit bounds that pass and the parse: at most BODY_LIMIT_BYTES are ever read.
 */
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { AppError, badRequest, BODY_LIMIT_BYTES } from './errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** The deepest nesting a body may have; the deepest valid one (a policy's reminders) has 3 levels. */
export const MAX_JSON_DEPTH = 16;

/** Writes carry JSON: any other body is refused with 415 before it is read. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const length = req.get('content-length');
  const hasBody = length !== undefined ? length !== '0' : req.get('transfer-encoding') !== undefined;
  if (!hasBody || req.is(JSON_TYPES)) {
    next();
    return;
  }
  next(new AppError(415, 'Send the body as application/json'));
};

/** express.json, with the checks above in its verify step (body-parser keeps the status of what verify throws). */
export const jsonBody: RequestHandler = express.json({ limit: BODY_LIMIT_BYTES, strict: false, type: JSON_TYPES, verify: checkBody });

const utf8 = new TextDecoder('utf-8', { fatal: true });

function checkBody(_req: IncomingMessage, _res: unknown, bytes: Buffer, charset: string): void {
  if (charset !== 'utf-8' && charset !== 'utf8') throw new AppError(415, 'Send the body as UTF-8 JSON');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badRequest('The body is not valid UTF-8', [{ path: 'body', message: 'bytes that are not UTF-8' }]);
  }
  const problem = shapeProblem(text);
  if (problem) throw badRequest(`The body is refused: ${problem}`, [{ path: 'body', message: problem }]);
}

/**
 * Nesting deeper than MAX_JSON_DEPTH, or a key repeated in one object; syntax errors are left to
 * JSON.parse. Strings are skipped whole, so brackets and quotes inside them do not count.
 */
export function shapeProblem(text: string): string | undefined {
  const open: (Set<string> | null)[] = []; // per open container: an object's keys so far, or null for an array
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      open.push(c === '{' ? new Set() : null);
      if (open.length > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === '"') {
      const end = closingQuote(text, i);
      if (end < 0) return undefined;
      const keys = open.at(-1);
      if (keys && followedByColon(text, end + 1)) {
        const key = decodeString(text.slice(i, end + 1));
        if (key === undefined) return undefined;
        if (keys.has(key)) return `the key ${JSON.stringify(key.slice(0, 100))} appears twice in one object`;
        keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function followedByColon(text: string, from: number): boolean {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  return text[i] === ':';
}

/** A JSON string literal's value ("\u0061" and "a" are the same key), or undefined if it is not valid. */
function decodeString(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}
