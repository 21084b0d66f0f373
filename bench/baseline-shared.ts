/**
 * What the baselines of `npm run bench -- --e2e` share between their processes: the Temporal
 * baseline's task queue, workflow type and update, and the read baseline's table.
 */
import { defineUpdate } from '@temporalio/workflow';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const BASELINE_WORKFLOW = 'baselineWorkflow';
/** The update that opens the baseline workflow: it awaits one no-op activity and answers. */
export const openBaselineUpdate = defineUpdate<{ id: string }, [{ id: string }]>('openBaseline');

/** The read baseline's own table: the engine's `GET /v1/appeals/{id}` answers, stored as they were. */
export const BASELINE_VIEWS_TABLE = 'bench_baseline_views';
