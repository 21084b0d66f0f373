import { departmentCode, email, subject, text, z } from '../schemas';

export const ArbiterRegistrationSchema = z
  .strictObject({
    id: subject.openapi({ description: "The arbiter's token `sub`", example: 'arb-1' }),
    name: text(200),
    email,
    department: departmentCode.optional().openapi({ description: "The arbiter's home department, if any: they may not hear its appeals" }),
  })
  .openapi('ArbiterRegistration');

export const ArbiterViewSchema = z
  .object({ id: z.string(), name: z.string(), email: z.string(), department: z.string().nullable() })
  .openapi('Arbiter');

export const RegisteredArbiterSchema = ArbiterViewSchema.extend({
  openAppeals: z.int().min(0).openapi({ description: 'Their caseload: the appeals assigned to them that are not yet closed (conceded, dismissed, complied or withdrawn)' }),
}).openapi('RegisteredArbiter');

export const ArbiterPublicationSchema = z
  .strictObject({
    publicName: text(200).openapi({ description: 'The name the public register shows on their decisions' }),
  })
  .openapi('ArbiterPublication');

export const ArbiterPublishedSchema = z
  .object({ id: z.string(), publicName: z.string().nullable().openapi({ description: 'The name published, or null: not published' }) })
  .openapi('ArbiterPublished');

export const ArbiterParamsSchema = z.strictObject({ id: subject });

export const ArbitersSchema = z.object({ items: z.array(RegisteredArbiterSchema) }).openapi('Arbiters');
