import type { z } from 'zod';
import { badRequest } from './errors';

/** Parse input against a schema, or throw a 400 naming every field problem. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [what, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw badRequest(`The ${what} is invalid`, errors);
}
