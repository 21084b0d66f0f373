/** Making a signed checkpoint of every appeal's timeline, for the schedule's workflow. */
import type { DataSource } from 'typeorm';
import { makeCheckpoint } from '../db/checkpoints';
import type { CheckpointKey } from '../domain/checkpoint';
import { NoSigningKeyError } from './errors';

export interface CheckpointDependencies {
  dataSource: DataSource;
  /** CHECKPOINT_SIGNING_KEY's; a worker without one makes no checkpoints. */
  checkpointKey?: CheckpointKey;
  clock?: () => Date;
}

export interface CheckpointMade {
  id: number;
  appealCount: number;
  root: string;
}

export function createCheckpointActivities({ dataSource, checkpointKey, clock = () => new Date() }: CheckpointDependencies) {
  return {
    /** A retry after the commit makes one more checkpoint: harmless, as each is complete and signed on its own. */
    async checkpointTimelines(): Promise<CheckpointMade> {
      if (!checkpointKey) throw new NoSigningKeyError('This worker has no CHECKPOINT_SIGNING_KEY: it cannot sign checkpoints');
      const { id, appealCount, root } = await makeCheckpoint(dataSource, checkpointKey, clock());
      return { id, appealCount, root };
    },
  };
}
