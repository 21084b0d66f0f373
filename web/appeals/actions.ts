import type { Action } from '../../domain/actions';

/**
 * The address of each action's form on the case page's appeal, mirroring the API's calls
 * (POST /v1/appeals/{id}/<path>). The forms are pages of their own under these paths.
 */
export const ACTION_PATHS: Record<Action, string> = {
  respond: 'manager-response',
  assignArbiter: 'arbiter',
  scheduleHearing: 'hearing',
  recordHearingOutcome: 'hearing/outcome',
  decide: 'decision',
  confirmCompliance: 'compliance',
  withdraw: 'withdraw',
  extendDeadline: 'deadlines',
};

export const appealHref = (appealId: string): string => `/appeals/${appealId}`;
export const actionHref = (appealId: string, action: Action): string => `${appealHref(appealId)}/${ACTION_PATHS[action]}`;
