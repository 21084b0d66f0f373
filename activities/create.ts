/**
 * The activities of an appeal (and of a calendar change), bound to the case-record database and the mail transport: the
 * worker registers them, the workflow calls them by type.
 */
import { createCalendarActivities } from './calendar';
import { createDeliveryActivities, type DeliveryDependencies } from './delivery';
import { createRecordingActivities, type RecordingDependencies } from './recording';

export type ActivityDependencies = RecordingDependencies & DeliveryDependencies;

export function createActivities(deps: ActivityDependencies) {
  return { ...createRecordingActivities(deps), ...createDeliveryActivities(deps), ...createCalendarActivities(deps) };
}

export type AppealActivities = ReturnType<typeof createActivities>;
