import { toAppError } from '../api/errors';
import { inWords } from './labels';

/**
 * The errors a form page shows: the GOV.UK error summary (each linking to its field) and the
 * message under each field, by field name. Field names are the API body's paths
 * (`parentBody.name`), ids are the same with dashes (`parentBody-name`, the `fieldId` filter).
 */
export interface FormErrors {
  summary: { text: string; href?: string }[];
  fields: Record<string, { text: string }>;
}

/** Statuses a refusal becomes a form error for; anything else goes to the error pages. */
const REFUSALS = [400, 403, 409, 422];

/**
 * An engine refusal as form errors: the field problems of a 400 or 422 (paths `body.x.y`) each
 * on their field, the detail of a 409, 403 or a 422 without field problems as one summary line.
 * `messages` gives a field's message in the service's words (by field name), in place of the
 * validator's. Anything that is not a refusal is thrown again, for the error pages.
 */
export function refusalAsFormErrors(error: unknown, messages: Record<string, string> = {}): FormErrors {
  const refusal = toAppError(error);
  if (!REFUSALS.includes(refusal.status)) throw error;
  const fields: FormErrors['fields'] = {};
  for (const problem of refusal.errors ?? []) {
    const name = problem.path.replace(/^body\.?/, '');
    if (name && !fields[name]) fields[name] = { text: messages[name] ?? sentence(problem.message) };
  }
  const summary: FormErrors['summary'] = Object.entries(fields).map(([name, { text }]) => ({ text, href: `#${fieldId(name)}` }));
  if (summary.length === 0) summary.push({ text: sentence(inWords(refusal.detail)) });
  return { summary, fields };
}

/** The same id the `fieldId` filter gives a field in the templates. */
export const fieldId = (name: string): string => name.replace(/[^\w-]+/g, '-');

const sentence = (text: string): string => (text ? text[0].toUpperCase() + text.slice(1) : text);

/** A form's values as typed, to render the form again after an error (never the CSRF token). */
export function typedValues(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  const { _csrf: _ignored, ...values } = body as Record<string, unknown>;
  return values;
}
