/** The administrator's calls on checkpoints (making one on demand); reading them is public (api/public/checkpoints.ts). */
import { makeCheckpoint } from '../../db/checkpoints';
import { callsOf, type Call } from '../calls';
import { unavailable } from '../errors';
import { NoQuerySchema } from '../schemas';
import type { PublicDeps } from '../public/register';
import { CheckpointSchema } from './schemas';

const call = callsOf<PublicDeps>();

export const checkpointAdminCalls: Call<PublicDeps>[] = [
  call({
    method: 'post',
    path: '/v1/checkpoints',
    tag: 'Public register',
    operationId: 'makeCheckpoint',
    summary: 'Make a signed checkpoint now',
    description:
      "Hashes every appeal's latest timeline event into a Merkle root and signs it, as the schedule does every CHECKPOINT_INTERVAL_HOURS. " +
      'Without a CHECKPOINT_SIGNING_KEY the engine makes none: 503.',
    roles: ['admin'],
    request: { query: NoQuerySchema },
    success: { status: 201, description: 'The checkpoint, signed (GET /v1/public/checkpoints/{id} has its leaves)', schema: CheckpointSchema },
    async handle(_input, { dataSource, config }) {
      const key = config.checkpoints.signingKey;
      if (!key) throw unavailable('No CHECKPOINT_SIGNING_KEY is configured: the engine makes no checkpoints');
      return { body: await makeCheckpoint(dataSource, key, new Date()) };
    },
  }),
];
