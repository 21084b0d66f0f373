/** Checkpoints and inclusion proofs, as the public calls and the administrator's call answer them: references, seqs and hashes only. */
import { isoInstant, z } from '../schemas';

const LARGEST_ID = 2_147_483_647;
const hex = (description: string) => z.string().regex(/^[0-9a-f]{64}$/).openapi({ description, example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
const id = z.coerce.number().int().min(1).max(LARGEST_ID).openapi({ type: 'integer', minimum: 1, description: 'A checkpoint id' });
export const appealReference = z.string().regex(/^MUT-\d{4}-\d{6,}$/, 'an appeal reference such as MUT-2026-000042').openapi({ example: 'MUT-2026-000042' });

export const CheckpointSchema = z
  .object({
    id: z.int().min(1),
    createdAt: isoInstant,
    appealCount: z.int().min(0).openapi({ description: 'The appeals covered: one leaf each' }),
    root: hex('The RFC 6962 Merkle root over the leaves (hex)'),
    signature: z.string().openapi({ description: 'Ed25519 signature of signedMessage, base64' }),
    keyId: z.string().openapi({ description: 'The first 16 hex characters of SHA-256 over the raw 32-byte public key', example: '3f9c0a7be1d24c55' }),
    publicKey: z.string().openapi({ description: 'The Ed25519 public key that signed it, SPKI PEM' }),
    signedMessage: z.string().openapi({
      description: 'The exact text signed (UTF-8): {"count":appealCount,"createdAt":…,"id":…,"keyId":…,"root":…} as JSON with the keys in this order and no spaces',
    }),
  })
  .openapi('Checkpoint', { description: "A signed Merkle root over every appeal's latest timeline event" });

export const CheckpointLeafSchema = z
  .object({ reference: appealReference, seq: z.int().min(1), hash: hex("The hash of the appeal's event at seq, as the timeline held it") })
  .openapi('CheckpointLeaf', { description: 'Hashed as SHA-256(0x00 || {"hash":…,"reference":…,"seq":…}), JSON with the keys in this order and no spaces' });

export const CheckpointWithLeavesSchema = CheckpointSchema.extend({
  leaves: z.array(CheckpointLeafSchema).openapi({ description: 'In leaf order: by reference' }),
}).openapi('CheckpointWithLeaves');

export const CheckpointListSchema = z
  .object({
    items: z.array(CheckpointSchema),
    next: z.int().nullable().openapi({ description: 'Pass as `before` for older checkpoints; null when there are none' }),
  })
  .openapi('CheckpointList');

export const CheckpointProofSchema = z
  .object({
    checkpoint: CheckpointSchema,
    leaf: CheckpointLeafSchema,
    leafIndex: z.int().min(0),
    auditPath: z.array(hex('A sibling hash')).openapi({ description: 'Sibling hashes from the leaf up to the root (RFC 6962)' }),
    timelineNow: z.object({
      hashAtSeq: hex("The hash of the event at the leaf's seq, recomputed from the events as stored now").nullable().openapi({ description: 'null: that event is gone' }),
      latestSeq: z.int().min(0),
      chainVerified: z.boolean().openapi({ description: 'Whether the stored hash chain verifies on its own (a rewrite that recomputed every later hash verifies)' }),
    }),
    verdict: z.enum(['unaltered', 'altered']),
    statement: z.string().openapi({ example: 'altered since checkpoint 3' }),
  })
  .openapi('CheckpointProof');

export const CheckpointListQuerySchema = z.strictObject({
  before: id.optional().openapi({ description: "Only checkpoints older than this id: a page's `next`" }),
  reference: appealReference.optional().openapi({ description: 'Only checkpoints holding this appeal' }),
});
export const CheckpointParamsSchema = z.strictObject({ id });
export const ProofParamsSchema = z.strictObject({ id, reference: appealReference });
