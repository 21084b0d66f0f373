/**
 * The Merkle tree of the signed checkpoints (domain/merkle.ts) against a naive tree built level by
 * level (an odd node out is carried up as it is, which RFC 6962's split rule amounts to), and
 * against the roots of RFC 6962's reference test vectors (certificate-transparency's merkle tests).
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { auditPath, leafHash, merkleRoot, verifyInclusion } from '../../domain/merkle';

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

function naiveRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  let level: Buffer[] = leaves.map((leaf) => sha256(Buffer.of(0), leaf));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha256(Buffer.of(1), level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`{"hash":"${i}","reference":"MUT-2026-${String(i).padStart(6, '0')}","seq":${i + 1}}`));
const hashesOf = (leaves: Buffer[]) => leaves.map(leafHash);

/** RFC 6962's reference leaves and the roots of their first 1..8. */
const VECTOR_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((hex) => Buffer.from(hex, 'hex'));
const VECTOR_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree (RFC 6962)', () => {
  it('the empty tree is the hash of nothing', () => {
    expect(merkleRoot([]).toString('hex')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  for (let n = 1; n <= 9; n++) {
    it(`the root of ${n} leaves is the naive tree's`, () => {
      const leaves = leavesOf(n);
      expect(merkleRoot(hashesOf(leaves)).toString('hex')).to.equal(naiveRoot(leaves).toString('hex'));
    });
  }

  it("gives RFC 6962's reference roots for 1..8 of its test leaves", () => {
    const roots = VECTOR_ROOTS.map((_, i) => merkleRoot(hashesOf(VECTOR_LEAVES.slice(0, i + 1))).toString('hex'));
    expect(roots).to.deep.equal(VECTOR_ROOTS);
  });

  for (let n = 1; n <= 9; n++) {
    it(`proves every one of ${n} leaves, and a changed leaf, path, index or root fails`, () => {
      const hashes = hashesOf(leavesOf(n));
      const root = merkleRoot(hashes);
      for (let index = 0; index < n; index++) {
        const path = auditPath(hashes, index);
        const proof = { leafHash: hashes[index], index, treeSize: n, path, root };
        expect(verifyInclusion(proof), `leaf ${index}`).to.equal(true);
        expect(verifyInclusion({ ...proof, leafHash: leafHash(Buffer.from('changed')) }), `changed leaf ${index}`).to.equal(false);
        expect(verifyInclusion({ ...proof, root: leafHash(Buffer.from('another root')) }), `changed root ${index}`).to.equal(false);
        expect(verifyInclusion({ ...proof, index: n }), `index out of the tree ${index}`).to.equal(false);
        if (n > 1) expect(verifyInclusion({ ...proof, index: (index + 1) % n }), `another index ${index}`).to.equal(false);
        for (const [step, sibling] of path.entries()) {
          const changed = [...path];
          changed[step] = Buffer.from(sibling.map((byte, i) => (i === 0 ? byte ^ 1 : byte)));
          expect(verifyInclusion({ ...proof, path: changed }), `leaf ${index}, sibling ${step} changed`).to.equal(false);
        }
        expect(verifyInclusion({ ...proof, path: [...path, root] }), `a longer path ${index}`).to.equal(false);
        if (path.length > 0) expect(verifyInclusion({ ...proof, path: path.slice(1) }), `a shorter path ${index}`).to.equal(false);
      }
    });
  }

  it('refuses an audit path for a leaf the tree does not have', () => {
    expect(() => auditPath(hashesOf(leavesOf(3)), 3)).to.throw(RangeError);
  });
});
