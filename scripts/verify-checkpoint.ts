/**
 * `npm run verify-checkpoint -- <reference> [--checkpoint N] [--key-id ID] [--api URL]` checks an
 * appeal's timeline against a signed checkpoint, trusting the API for nothing it can check here:
 * it fetches the proof from the public API (GET /v1/public/checkpoints/{id}/proof/{reference}; by
 * default from the newest checkpoint that holds the appeal), checks the Ed25519 signature over the
 * signed message against the published key (and that key's id, and --key-id when given), checks
 * the audit path from the appeal's leaf to the signed root, and compares the leaf's hash with the
 * hash the timeline has now at that seq.
 *
 * Exit code 0: unaltered. 1: altered, or anything fails to verify or cannot be fetched. 2: usage.
 */
import { createPublicKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { checkpointLeafHash, keyIdOf, verifyCheckpointSignature } from '../domain/checkpoint';
import { verifyInclusion } from '../domain/merkle';
import type { CheckpointProof } from '../db/checkpoints';

const USAGE = 'usage: npm run verify-checkpoint -- <reference, e.g. MUT-2026-000042> [--checkpoint N] [--key-id ID] [--api URL]';

class UsageError extends Error {}
/** Something could not be fetched or verified: the message says what. */
class Failure extends Error {}

interface Options {
  reference: string;
  checkpoint?: number;
  keyId?: string;
  api: string;
}

async function main(): Promise<number> {
  const options = optionsOf(process.argv.slice(2));
  const id = options.checkpoint ?? (await latestHolding(options));
  const proof = await getJson<CheckpointProof>(options.api, `/v1/public/checkpoints/${id}/proof/${encodeURIComponent(options.reference)}`);
  for (const line of verify(proof, options)) say(line);
  const unaltered = proof.leaf.hash === proof.timelineNow.hashAtSeq;
  say(`${options.reference}: ${unaltered ? 'unaltered' : 'ALTERED'} since checkpoint ${proof.checkpoint.id}`);
  return unaltered ? 0 : 1;
}

function optionsOf(args: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { checkpoint: { type: 'string' }, 'key-id': { type: 'string' }, api: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const [reference] = positionals;
  if (!/^MUT-\d{4}-\d{6,}$/.test(reference)) throw new UsageError(`${JSON.stringify(reference)} is not an appeal reference; ${USAGE}`);
  if (values.checkpoint !== undefined && !/^[1-9]\d{0,9}$/.test(values.checkpoint)) throw new UsageError(`--checkpoint takes a checkpoint id (1, 2, ...); ${USAGE}`);
  return {
    reference,
    checkpoint: values.checkpoint === undefined ? undefined : Number(values.checkpoint),
    keyId: values['key-id'],
    api: (values.api ?? `http://127.0.0.1:${loadConfig().port}`).replace(/\/$/, ''),
  };
}

async function latestHolding({ api, reference }: Options): Promise<number> {
  const page = await getJson<{ items: { id: number }[] }>(api, `/v1/public/checkpoints?reference=${encodeURIComponent(reference)}`);
  const [latest] = page.items;
  if (!latest) throw new Failure(`No checkpoint holds ${reference} yet (one is made every CHECKPOINT_INTERVAL_HOURS, or by an administrator)`);
  return latest.id;
}

/** What was checked, a line each; throws a Failure at the first check that fails. */
function verify(proof: CheckpointProof, options: Options): string[] {
  const { checkpoint, leaf, leafIndex, auditPath, timelineNow } = proof;
  if (leaf.reference !== options.reference) throw new Failure(`The proof is for ${leaf.reference}, not ${options.reference}`);
  if (options.checkpoint !== undefined && checkpoint.id !== options.checkpoint) throw new Failure(`The proof is for checkpoint ${checkpoint.id}, not ${options.checkpoint}`);
  checkKey(checkpoint.publicKey, checkpoint.keyId, options.keyId);
  const signed = { id: checkpoint.id, root: checkpoint.root, count: checkpoint.appealCount, createdAt: checkpoint.createdAt, keyId: checkpoint.keyId };
  if (!verifyCheckpointSignature(checkpoint.publicKey, signed, checkpoint.signature)) throw new Failure(`The signature of checkpoint ${checkpoint.id} does not verify against its published key`);
  const included = verifyInclusion({
    leafHash: checkpointLeafHash(leaf),
    index: leafIndex,
    treeSize: checkpoint.appealCount,
    path: auditPath.map((hash) => Buffer.from(hash, 'hex')),
    root: Buffer.from(checkpoint.root, 'hex'),
  });
  if (!included) throw new Failure(`The audit path does not lead from ${leaf.reference}'s leaf to the signed root of checkpoint ${checkpoint.id}`);
  return [
    `Checkpoint ${checkpoint.id} of ${checkpoint.createdAt}: ${checkpoint.appealCount} appeals, root ${checkpoint.root}`,
    `  signature: valid, Ed25519 key ${checkpoint.keyId}${options.keyId ? ' (the key id you gave)' : ''}`,
    `  inclusion: ${leaf.reference} at seq ${leaf.seq} is leaf ${leafIndex + 1} of ${checkpoint.appealCount}; its audit path leads to the signed root`,
    `  signed hash at seq ${leaf.seq}: ${leaf.hash}`,
    `  hash now at seq ${leaf.seq}:    ${timelineNow.hashAtSeq ?? 'none (that event is gone)'}`,
    `  timeline now: ${timelineNow.latestSeq} events; the hash chain alone ${timelineNow.chainVerified ? 'verifies' : 'does not verify'}`,
  ];
}

function checkKey(publicKeyPem: string, keyId: string, expected: string | undefined): void {
  let actual: string;
  try {
    actual = keyIdOf(createPublicKey({ key: publicKeyPem, format: 'pem' }));
  } catch {
    throw new Failure('The published public key is not a key');
  }
  if (actual !== keyId) throw new Failure(`The published key's id is ${actual}, not ${keyId} as the checkpoint says`);
  if (expected !== undefined && expected !== keyId) throw new Failure(`The checkpoint is signed by key ${keyId}, not ${expected}`);
}

async function getJson<T>(api: string, path: string): Promise<T> {
  const response = await fetch(`${api}${path}`, { headers: { accept: 'application/json' } }).catch((error: unknown) => {
    throw new Failure(`No API at ${api} (${(error as Error).message}): start it with \`npm start\`, or give --api`);
  });
  const body = (await response.json().catch(() => undefined)) as (T & { detail?: string }) | undefined;
  if (!response.ok || body === undefined) throw new Failure(`GET ${path}: ${response.status}${body?.detail ? ` ${body.detail}` : ''}`);
  return body;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ConfigError;
    const message = error instanceof Failure ? `NOT VERIFIED: ${error.message}` : known ? error.message : error instanceof Error ? error.stack : String(error);
    process.stderr.write(`${message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
