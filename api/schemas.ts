/** Building blocks shared by the request schemas of every feature. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };

export const text = (max: number) => z.string().trim().min(1).max(max);
export const email = z.email().max(254);
/** An instant with an explicit offset, e.g. 2027-01-12T10:00:00Z. */
export const instant = z.iso.datetime({ offset: true }).openapi({ example: '2027-01-12T10:00:00Z' });
export const calendarDate = z.iso.date().openapi({ example: '2026-10-01' });
export const departmentCode = z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/, 'a department code such as HO');
export const appealId = z.uuid();
