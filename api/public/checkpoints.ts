/** Signed checkpoints of every appeal's timeline, and inclusion proofs against them. */
import { findCheckpoint, listCheckpoints, proveInCheckpoint } from '../../db/checkpoints';
import {
  CheckpointListQuerySchema,
  CheckpointListSchema,
  CheckpointParamsSchema,
  CheckpointProofSchema,
  CheckpointWithLeavesSchema,
  ProofParamsSchema,
} from '../checkpoints/schemas';
import { callsOf, type Call } from '../calls';
import { notFound } from '../errors';
import { NoQuerySchema } from '../schemas';
import type { PublicDeps } from './register';

const call = callsOf<PublicDeps>();
const common = { method: 'get', tag: 'Public register', roles: 'anyone' } as const;
const PAGE = 100;
const HOW =
  "Each checkpoint is an RFC 6962 Merkle root over every appeal's latest timeline event (reference, seq and hash), signed with Ed25519 by a key " +
  'kept outside the database. `npm run verify-checkpoint -- <reference>` checks an appeal against one.';

export const checkpointCalls: Call<PublicDeps>[] = [
  call({
    ...common,
    path: '/v1/public/checkpoints',
    operationId: 'listCheckpoints',
    summary: 'The signed checkpoints, newest first',
    description: `${HOW} Pages of ${PAGE}, without their leaves.`,
    request: { query: CheckpointListQuerySchema },
    success: { status: 200, description: 'A page of checkpoints', schema: CheckpointListSchema },
    problems: [429],
    async handle({ query }, { dataSource }) {
      const items = await listCheckpoints(dataSource, { ...query, limit: PAGE });
      return { body: { items, next: items.length === PAGE ? (items.at(-1)?.id ?? null) : null } };
    },
  }),
  call({
    ...common,
    path: '/v1/public/checkpoints/{id}',
    operationId: 'getCheckpoint',
    summary: 'One checkpoint with its leaves',
    description: HOW,
    request: { params: CheckpointParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: 'The checkpoint and its leaves, in leaf order', schema: CheckpointWithLeavesSchema },
    problems: [404, 429],
    async handle({ params }, { dataSource }) {
      const checkpoint = await findCheckpoint(dataSource, params.id);
      if (!checkpoint) throw notFound(`No checkpoint ${params.id}`);
      return { body: checkpoint };
    },
  }),
  call({
    ...common,
    path: '/v1/public/checkpoints/{id}/proof/{reference}',
    operationId: 'getCheckpointProof',
    summary: "An appeal's inclusion proof in a checkpoint, against its timeline as it stands now",
    description:
      `${HOW} The answer has the signed checkpoint, the appeal's leaf, its index and audit path, and the hash of the event at the leaf's seq ` +
      'recomputed now from the stored events: the verdict is `unaltered` when it equals the leaf\'s, else `altered`. ' +
      'An appeal the checkpoint does not hold answers 404.',
    request: { params: ProofParamsSchema, query: NoQuerySchema },
    success: { status: 200, description: 'The proof and the verdict', schema: CheckpointProofSchema },
    problems: [404, 429],
    async handle({ params }, { dataSource }) {
      const proof = await proveInCheckpoint(dataSource, params.id, params.reference);
      if (!proof) throw notFound(`Checkpoint ${params.id} does not hold appeal ${params.reference}`);
      return { body: proof };
    },
  }),
];
