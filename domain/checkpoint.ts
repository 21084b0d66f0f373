/**
 * Signed checkpoints of every appeal's timeline: what is hashed and what is signed, defined once
 * here for the engine, the public API and `npm run verify-checkpoint`.
 *
 * - A leaf is one appeal's latest timeline event: `{"hash":"<hex>","reference":"MUT-…","seq":n}`
 *   (JSON, keys in this order, no spaces, UTF-8). Leaves are ordered by reference, compared
 *   character by character (UTF-16 code units; references are ASCII), and hashed into an RFC 6962
 *   Merkle tree (domain/merkle.ts).
 * - The signed message is `{"count":n,"createdAt":"<ISO 8601, ms, Z>","id":n,"keyId":"<hex>","root":"<hex>"}`
 *   (JSON, keys in this order, no spaces, UTF-8), signed with Ed25519 (the signature in base64).
 * - A key's id is the first 16 hex characters of SHA-256 over its raw 32-byte public key.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { leafHash } from './merkle';

export interface CheckpointLeaf {
  reference: string;
  seq: number;
  hash: string;
}

/** What the signature covers. */
export interface SignedFields {
  id: number;
  root: string;
  count: number;
  createdAt: string;
  keyId: string;
}

export const leafBytes = ({ reference, seq, hash }: CheckpointLeaf): Buffer => Buffer.from(JSON.stringify({ hash, reference, seq }), 'utf8');

export const checkpointLeafHash = (leaf: CheckpointLeaf): Buffer => leafHash(leafBytes(leaf));

export const byReference = (a: CheckpointLeaf, b: CheckpointLeaf): number => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0);

export const signedMessage = ({ id, root, count, createdAt, keyId }: SignedFields): string => JSON.stringify({ count, createdAt, id, keyId, root });

/** The private key that signs checkpoints, with what a verifier needs of it. */
export interface CheckpointKey {
  privateKey: KeyObject;
  /** SPKI PEM, as published with each checkpoint. */
  publicKeyPem: string;
  keyId: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** The key of a PKCS#8 PEM; throws a one-line reason when it is not an Ed25519 private key. */
export function checkpointKeyFromPem(pem: string): CheckpointKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('not a private key in PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----")');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`an ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(publicKey) };
}

/** A new Ed25519 private key, as PKCS#8 PEM. */
export const newCheckpointKeyPem = (): string => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export const signCheckpoint = (key: CheckpointKey, fields: SignedFields): string =>
  sign(null, Buffer.from(signedMessage(fields), 'utf8'), key.privateKey).toString('base64');

/** Whether `signature` is the published key's over these fields; a key that is not Ed25519 never verifies. */
export function verifyCheckpointSignature(publicKeyPem: string, fields: SignedFields, signature: string): boolean {
  try {
    const publicKey = createPublicKey({ key: publicKeyPem, format: 'pem' });
    if (publicKey.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(signedMessage(fields), 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
