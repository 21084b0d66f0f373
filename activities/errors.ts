/**
 * Errors an activity throws that no retry can fix. Their class names are the workflow's
 * `nonRetryableErrorTypes`.
 */
export class UnknownDepartmentError extends Error {
  override name = 'UnknownDepartmentError';
}

export class AppealNotFoundError extends Error {
  override name = 'AppealNotFoundError';
}

export class NoticeNotFoundError extends Error {
  override name = 'NoticeNotFoundError';
}

export class NoSigningKeyError extends Error {
  override name = 'NoSigningKeyError';
}

export const NON_RETRYABLE_ERRORS = ['UnknownDepartmentError', 'AppealNotFoundError', 'NoticeNotFoundError', 'NoSigningKeyError'];
