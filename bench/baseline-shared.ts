/**
 * What the baselines of `npm run bench -- --e2e` share between their processes: the Temporal
 * baseline's task queue, workflow type and updates, and the read baseline's tables.
 */
import { defineUpdate } from '@temporalio/workflow';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const BASELINE_WORKFLOW = 'baselineWorkflow';
/** The update that opens the baseline workflow: it awaits one no-op activity and answers. */
export const openBaselineUpdate = defineUpdate<{ id: string }, [{ id: string }]>('openBaseline');
/**
 * The steps that follow the opening, one update each, as the engine takes an appeal to a dismissal
 * (contest, assign an arbiter, schedule the hearing, hold it, dismiss): each awaits one no-op
 * activity. The workflow ends after the last.
 */
export const baselineStepUpdates = ['contest', 'assignArbiter', 'scheduleHearing', 'holdHearing', 'dismiss'].map((step) => defineUpdate<void>(`${step}Baseline`));

/** The read baseline's own table: the engine's `GET /v1/appeals/{id}` answers, stored as they were. */
export const BASELINE_VIEWS_TABLE = 'bench_baseline_views';
/** The read baseline's table of list items: the engine's items of `GET /v1/appeals?status=…`, stored as they were, with their keys. */
export const BASELINE_LIST_TABLE = 'bench_baseline_list_items';
