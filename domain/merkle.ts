/**
 * A Merkle tree hash as in RFC 6962 (Certificate Transparency), section 2.1: a leaf's hash is
 * SHA-256(0x00 || leaf), a node's SHA-256(0x01 || left || right), the empty tree's SHA-256 of
 * nothing, and a tree of n > 1 leaves splits at k, the largest power of two below n. An audit path
 * proves one leaf is in a tree of a given size and root; it is checked as RFC 9162, 2.1.3.2 says.
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

export const leafHash = (leaf: Uint8Array): Buffer => sha256(LEAF, leaf);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256(NODE, left, right);

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root of the tree whose leaves hash to `leafHashes`, in order. */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return sha256();
  if (leafHashes.length === 1) return leafHashes[0];
  const k = split(leafHashes.length);
  return nodeHash(merkleRoot(leafHashes.slice(0, k)), merkleRoot(leafHashes.slice(k)));
}

/** The audit path of leaf `index`: the sibling hashes from the leaf up to the root. */
export function auditPath(leafHashes: readonly Buffer[], index: number): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) throw new RangeError(`no leaf ${index} in a tree of ${leafHashes.length}`);
  if (leafHashes.length === 1) return [];
  const k = split(leafHashes.length);
  if (index < k) return [...auditPath(leafHashes.slice(0, k), index), merkleRoot(leafHashes.slice(k))];
  return [...auditPath(leafHashes.slice(k), index - k), merkleRoot(leafHashes.slice(0, k))];
}

export interface InclusionProof {
  leafHash: Uint8Array;
  index: number;
  treeSize: number;
  path: readonly Uint8Array[];
  root: Uint8Array;
}

/** Whether `path` proves the leaf is at `index` of the tree of `treeSize` leaves with this root. */
export function verifyInclusion({ leafHash: leaf, index, treeSize, path, root }: InclusionProof): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let hash: Uint8Array = leaf;
  for (const sibling of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(hash).equals(Buffer.from(root));
}
