import { AppError, toAppError } from '../api/errors';
import { fieldId, refusalAsFormErrors, type FormErrors } from './forms';

/** How a form speaks of one of its fields in error messages (GOV.UK style). */
export interface FieldWords {
  /** The field as the subject of a sentence: "The parent body’s name". */
  name: string;
  /** When nothing was entered: "Enter the parent body’s name". */
  missing: string;
  /** When what was entered is not of the right kind (an email, a number, a date): "Enter … in the correct format". Default: `missing`. */
  invalid?: string;
  /** When a number is out of the schema's range; default: the range in the schema's own numbers. */
  outOfRange?: string;
  /** A GOV.UK date input: the error summary links to its day field. */
  date?: boolean;
}

/**
 * An engine refusal as form errors, like refusalAsFormErrors, with each field problem of the API's
 * schema in the service's words: `missing` when the field was left blank, the schema's own limit
 * as a sentence ("… must be 200 characters or fewer", "… must not be in the future"), or `invalid`.
 * `paths` renames the API body's paths to the form's fields where they differ (a turnover typed
 * in pounds, sent as pence). A refusal without field problems is one summary line, as there.
 */
export function fieldErrors(
  error: unknown,
  words: Record<string, FieldWords>,
  isBlank: (name: string) => boolean,
  paths: Record<string, string> = {},
): FormErrors {
  const plain = refusalAsFormErrors(error);
  const refusal = toAppError(error);
  if (!refusal.errors?.some((problem) => problem.path.startsWith('body.'))) return plain;
  const problems = refusal.errors.map(({ path, message }) => {
    const apiName = path.replace(/^body\.?/, '');
    const name = paths[apiName] ?? apiName;
    const field = words[name];
    return { path: `body.${name}`, message: field ? inWordsOf(field, message, isBlank(name)) : message };
  });
  const errors = refusalAsFormErrors(new AppError(refusal.status, refusal.detail, { errors: problems }));
  for (const item of errors.summary) {
    const name = Object.keys(errors.fields).find((n) => item.href === `#${fieldId(n)}`);
    if (name && words[name]?.date) item.href = `#${fieldId(name)}-day`;
  }
  return errors;
}

const LIMITS: [RegExp, (field: FieldWords, limit: string) => string][] = [
  [/^Too big: expected string to have <=(\d+) characters/, (f, n) => `${f.name} must be ${n} characters or fewer`],
  [/^Too small: expected number to be >=(\d+)/, (f, n) => f.outOfRange ?? `${f.name} must be ${n} or more`],
  [/^Too big: expected number to be <=(\d+)/, (f, n) => f.outOfRange ?? `${f.name} must be ${n} or fewer`],
];

function inWordsOf(field: FieldWords, message: string, blank: boolean): string {
  if (blank) return field.missing;
  for (const [pattern, sentence] of LIMITS) {
    const limit = pattern.exec(message)?.[1];
    if (limit) return sentence(field, Number(limit).toLocaleString('en-GB'));
  }
  if (message.startsWith('must ')) return `${field.name} ${message}`;
  return field.invalid ?? field.missing;
}

/** The fields of a GET form's query that were filled in: an empty select or search box means no filter. */
export function filledIn(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query as Record<string, unknown>).filter(([, value]) => value !== ''));
}

/** A query the API would refuse with 400, as the form's errors: each problem on its field, in the service's words. */
export function queryErrors(error: unknown, words: Record<string, FieldWords>, asked: Record<string, unknown>): FormErrors {
  const refusal = toAppError(error);
  const asBody = new AppError(refusal.status, refusal.detail, { errors: refusal.errors?.map((p) => ({ ...p, path: p.path.replace(/^query\b/, 'body') })) });
  return fieldErrors(asBody, words, (name) => asked[name] === undefined);
}
