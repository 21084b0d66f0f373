/**
 * The activities of an appeal (and of a calendar change and a checkpoint), bound to the case-record database and the mail transport: the
 * worker registers them, the workflow calls them by type.
 */
import { createCalendarActivities } from './calendar';
import { createCheckpointActivities, type CheckpointDependencies } from './checkpoints';
import { createDeliveryActivities, type DeliveryDependencies } from './delivery';
import { createRecordingActivities, type RecordingDependencies } from './recording';

export type ActivityDependencies = RecordingDependencies & DeliveryDependencies & CheckpointDependencies;

export function createActivities(deps: ActivityDependencies) {
  return { ...createRecordingActivities(deps), ...createDeliveryActivities(deps), ...createCalendarActivities(deps), ...createCheckpointActivities(deps) };
}

export type AppealActivities = ReturnType<typeof createActivities>;
