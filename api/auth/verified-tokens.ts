import { createHash } from 'node:crypto';
import type { Caller } from '../context';

/** The caller a token names once verified, and when the token expires (ms since the epoch). */
export interface Verified {
  caller: Caller;
  expiresAt: number;
}

/**
 * The callers of tokens verified lately, so that a token sent again is not verified again: each is
 * kept until its token expires, never beyond, and the least recently used goes first when full.
 * Only verified tokens get in. Keyed by the token's SHA-256, so no bearer token is kept in memory.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Verified>();

  constructor(
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller of `token`: remembered, or verified by `verify` (whose refusal passes through, remembering nothing). */
  async callerOf(token: string, verify: () => Promise<Verified>): Promise<Caller> {
    const key = createHash('sha256').update(token).digest('base64');
    const remembered = this.entries.get(key);
    this.entries.delete(key);
    if (remembered && this.now() < remembered.expiresAt) {
      this.entries.set(key, remembered);
      return remembered.caller;
    }
    const verified = await verify();
    this.remember(key, { caller: Object.freeze(verified.caller), expiresAt: verified.expiresAt });
    return verified.caller;
  }

  private remember(key: string, verified: Verified): void {
    this.entries.set(key, verified);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
