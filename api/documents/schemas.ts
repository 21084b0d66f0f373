import { ROLES } from '../../domain/appeal';
import { DOCUMENT_CATEGORIES, DOCUMENT_MEDIA_TYPES, SCAN_RESULTS, UPLOADED_CATEGORIES } from '../../domain/documents';
import { appealId, isoInstant, text, z } from '../schemas';

export const DocumentParamsSchema = z.strictObject({ id: appealId, docId: z.uuid() });

/** The fields of an upload, sent before the file. */
export const DocumentFieldsSchema = z.strictObject({
  category: z.enum(UPLOADED_CATEGORIES),
  title: text(200),
  supersedes: z.uuid().optional().openapi({ description: 'The document of this appeal that this one is a new version of' }),
});

const sha256 = z.string().regex(/^[0-9a-f]{64}$/).openapi({ description: 'SHA-256 of the content, hex' });

export const DocumentSchema = z
  .object({
    id: z.uuid(),
    appealId: z.uuid(),
    category: z.enum(DOCUMENT_CATEGORIES).openapi({ description: 'decision_letter: made by the engine when the decision is recorded; never uploaded' }),
    title: z.string(),
    fileName: z.string().openapi({ description: 'Sanitised: no path, no control characters, at most 200 characters' }),
    mediaType: z.enum(Object.keys(DOCUMENT_MEDIA_TYPES) as [keyof typeof DOCUMENT_MEDIA_TYPES]).openapi({ description: 'Detected from the content' }),
    size: z.int().min(1),
    sha256,
    scan: z.enum(SCAN_RESULTS).openapi({ description: 'unscanned when no virus scanner is configured' }),
    supersedes: z.uuid().nullable(),
    uploadedBy: z.object({ sub: z.string(), role: z.enum([...ROLES, 'system']) }),
    uploadedAt: isoInstant,
  })
  .openapi('Document');

export const DocumentListSchema = z.object({ items: z.array(DocumentSchema) }).openapi('DocumentList');

export const DocumentVerificationSchema = z
  .object({
    id: z.uuid(),
    recorded: sha256.openapi({ description: 'The SHA-256 recorded when the document was added' }),
    timeline: sha256.nullable().openapi({ description: "The SHA-256 in the appeal's document_added event" }),
    computed: sha256.openapi({ description: 'The SHA-256 of the bytes stored now' }),
    size: z.int().min(0).openapi({ description: 'Of the bytes stored now' }),
    matches: z.boolean().openapi({ description: 'Whether the stored bytes are the ones recorded (and the timeline says the same)' }),
  })
  .openapi('DocumentVerification');

/** A downloaded document: its bytes. */
export const DocumentContentSchema = z.string().openapi({ format: 'binary' });

/** A conditional request for the hearing bundle. */
export const BundleHeadersSchema = z.object({
  'If-None-Match': z.string().optional().openapi({ description: "The ETag of a bundle fetched before: 304 if it is still the bundle the appeal's documents make" }),
});
