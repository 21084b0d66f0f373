/**
 * Documents on an appeal: what kinds there are, who uploads which, while when, and which file
 * types are taken. Pure: the workflow's rule, the API and the pages read these.
 */
import type { Role } from './appeal';
import type { AppealStatus } from './lifecycle';

/** What people upload; the engine makes the decision letter itself, and nobody uploads one. */
export const UPLOADED_CATEGORIES = ['business_case', 'financial_model', 'staff_ballot', 'manager_statement', 'other'] as const;
export type UploadedCategory = (typeof UPLOADED_CATEGORIES)[number];
export const DOCUMENT_CATEGORIES = [...UPLOADED_CATEGORIES, 'decision_letter'] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];

/** Caseworkers upload the appellant's documents, the department's manager the parent body's. */
export const UPLOADS_BY_ROLE: Partial<Record<Role, readonly UploadedCategory[]>> = {
  caseworker: ['business_case', 'financial_model', 'staff_ballot', 'other'],
  manager: ['manager_statement', 'other'],
};
export const DOCUMENT_UPLOADERS = ['caseworker', 'manager'] as const satisfies Role[];

export function mayUpload(role: Role, category: DocumentCategory): boolean {
  return UPLOADS_BY_ROLE[role]?.some((uploaded) => uploaded === category) ?? false;
}

/** Documents are added while the appeal is open and not yet decided. */
export const DOCUMENTS_OPEN_WHILE: readonly AppealStatus[] = ['awaiting_manager_response', 'awaiting_hearing', 'hearing_scheduled', 'awaiting_decision'];

export function documentsOpen(status: AppealStatus): boolean {
  return DOCUMENTS_OPEN_WHILE.includes(status);
}

/** At most this many documents per appeal (the 101st is refused with 422). */
export const MAX_DOCUMENTS_PER_APPEAL = 100;

/** The media types taken, as file-type names them (CSV is recognised apart: file-type cannot detect text). */
export const DOCUMENT_MEDIA_TYPES = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document (DOCX)',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text (ODT)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet (XLSX)',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet (ODS)',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'text/csv': 'CSV',
} as const;
export type DocumentMediaType = keyof typeof DOCUMENT_MEDIA_TYPES;

export const SCAN_RESULTS = ['clean', 'unscanned'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

/** A document as it is recorded (the documents row, the `document_added` event's data). */
export interface DocumentRecord {
  id: string;
  category: DocumentCategory;
  title: string;
  fileName: string;
  mediaType: DocumentMediaType;
  size: number;
  sha256: string;
  scan: ScanResult;
  supersedes: string | null;
}

/** A file name fit to store and to send back: no path, no control characters, at most 200 characters. */
export function sanitiseFileName(given: string): string {
  const base = given.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/^[.\s]+/, '').trim();
  const name = [...clean].slice(-200).join('');
  return name === '' ? 'document' : name;
}
