/** Building blocks shared by the request and response schemas of every feature. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };

/**
 * Characters no field takes: control characters (C0, DEL, C1: PostgreSQL refuses NUL outright, the
 * rest are never meant and hide text in logs, notices and terminals) and unpaired UTF-16 surrogates
 * (valid in a JS string, refused by PostgreSQL's text and jsonb). Free text keeps tab and line breaks.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what these look for
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string of one line: no control characters at all, no unpaired surrogates. */
const isPlainLine = (value: string) => !CONTROL.test(value) && !UNPAIRED_SURROGATE.test(value);
const isPlainText = (value: string) => !CONTROL_BUT_LAYOUT.test(value) && !UNPAIRED_SURROGATE.test(value);

/** One line of text (names, places, ids, searches), trimmed, 1 to `max` characters. */
export const text = (max: number) =>
  z.string().trim().min(1).max(max).refine(isPlainLine, 'must not contain control characters (line breaks included) or unpaired surrogates');

/** Free text (statements, reasons, notes): like `text`, but tab and line breaks are kept. */
export const prose = (max: number) =>
  z.string().trim().min(1).max(max).refine(isPlainText, 'must not contain control characters other than tab and line breaks, or unpaired surrogates');

export const email = z.email().max(254);

/** Instants and dates the case record can hold: from 2000 up to (not including) 2200. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);
const inRange = (value: string) => {
  const time = Date.parse(value);
  return time >= EARLIEST && time < LATEST;
};

/** An instant with an explicit offset, e.g. 2027-01-12T10:00:00Z. */
export const instant = z.iso
  .datetime({ offset: true })
  .refine(inRange, 'must be between 2000 and 2199')
  .openapi({ example: '2027-01-12T10:00:00Z' });
export const calendarDate = z.iso.date().refine(inRange, 'must be between 2000 and 2199').openapi({ example: '2026-10-01' });
export const departmentCode = z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/, 'a department code such as HO').openapi({ example: 'HO' });
export const appealId = z.uuid();

/**
 * A token's `sub`, which is also an arbiter's id in the register: at most 255 characters (OpenID
 * Connect's limit), one plain line, taken exactly as the identity provider wrote it: never trimmed,
 * so one with whitespace at either end (or only whitespace) is refused rather than made another's.
 */
export const SUBJECT_MAX = 255;
export const subject = z
  .string()
  .min(1)
  .max(SUBJECT_MAX)
  .refine(isPlainLine, 'must not contain control characters or unpaired surrogates')
  .refine((value) => value.trim() === value, 'must not start or end with whitespace');

/** Write calls take no query parameters: any one given is an unknown field. */
export const NoQuerySchema = z.strictObject({});

/** The optional Idempotency-Key header: printable ASCII, at most 200 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,200}$/;
export const IdempotencyHeadersSchema = z.object({
  'Idempotency-Key': z
    .string()
    .regex(IDEMPOTENCY_KEY_PATTERN, 'printable ASCII without spaces, 1 to 200 characters')
    .optional()
    .openapi({
      description:
        'Makes the call safe to retry: a repeat with the same key (from the same caller) has the effect of one call. ' +
        'A key names one action; use a fresh key (e.g. a UUID) for every new action.',
      example: 'b6f5a8a2-4c55-4f0e-9d3e-2f1f3c2a9e10',
    }),
});

// ---- responses shared by every feature -------------------------------------------------------

export const FieldProblemSchema = z
  .object({ path: z.string().openapi({ example: 'body.proposedMutual.staffCount' }), message: z.string() })
  .openapi('FieldProblem');

/** RFC 9457 problem details, with `errors` naming each field problem and the request id. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'about:blank' }),
    title: z.string().openapi({ example: 'Invalid request' }),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(FieldProblemSchema).optional(),
  })
  .openapi('Problem', { description: 'An RFC 9457 problem: every error the API answers has this shape.' });

/** ISO instants and dates as the API writes them. */
export const isoInstant = z.string().openapi({ format: 'date-time', example: '2027-01-12T10:00:00.000Z' });
export const isoDate = z.string().openapi({ format: 'date', example: '2026-10-01' });
