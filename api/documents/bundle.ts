/**
 * The hearing bundle as a PDF, with pdf-lib: the cover, the index, then the pages of every PDF
 * document in upload order, each page stamped "Bundle page N of M". What the pages say and where
 * each document starts is domain/bundle.ts; here the words are made and the pages drawn.
 *
 * Deterministic: the same appeal and documents give the same bytes. pdf-lib names the resources
 * it adds from a generator with a fixed seed, the dates are the newest document's upload time,
 * no id is made up, and the file is written without object streams. The sources are read from the
 * document store one at a time; one whose bytes no longer match the recorded SHA-256, or that
 * pdf-lib cannot read, is listed and not merged.
 */
import type { Readable } from 'node:stream';
import { degrees, PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { readWhole } from '../../db/content-digest';
import type { StoredDocument } from '../../db/documents';
import type { AppealView } from '../../domain/appeal';
import { bundleTag, coverLines, footerPlacement, footerText, layoutIndex, wrapText, type BundleCover, type BundleDocument, type Inclusion } from '../../domain/bundle';
import { DOCUMENT_MEDIA_TYPES } from '../../domain/documents';
import { ukDateTime } from '../../web/dates';
import { DOCUMENT_CATEGORY_NAMES, ROLE_NAMES } from '../../web/labels';

/** A4, in points. */
const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const TEXT_SIZE = 10;
const LINE = 14;
const HEADING_SIZE = 18;
const FOOTER_SIZE = 9;
const FOOTER_MARGIN = 24;
/** The lines of index text a page holds below its heading and above the footer. */
const INDEX_LINES = Math.floor((PAGE[1] - 2 * MARGIN - 2 * HEADING_SIZE) / LINE);

/** The bundle of one appeal as it stands: made only when asked, so a request its ETag answers reads no document. */
export interface HearingBundle {
  fileName: string;
  etag: string;
  pdf(): Promise<Buffer>;
}

export function hearingBundle(appeal: AppealView, documents: StoredDocument[], read: (id: string) => Readable): HearingBundle {
  const cover = coverOf(appeal);
  const entries = documents.map(entryOf);
  const madeAt = new Date(Math.max(Date.parse(appeal.createdAt), ...documents.map((d) => Date.parse(d.uploadedAt))));
  return {
    fileName: `${appeal.reference}-bundle.pdf`,
    etag: bundleTag(cover, entries),
    pdf: () => assemble({ cover, entries, documents, read, madeAt }),
  };
}

function coverOf(appeal: AppealView): BundleCover {
  const { hearing } = appeal;
  return {
    reference: appeal.reference,
    proposedMutual: appeal.proposedMutual.name,
    parentBody: appeal.parentBody.name,
    department: appeal.department,
    hearing: hearing ? `${ukDateTime(hearing.scheduledFor)}, ${hearing.location}` : null,
  };
}

const entryOf = (document: StoredDocument): BundleDocument => ({
  id: document.id,
  title: document.title,
  category: DOCUMENT_CATEGORY_NAMES[document.category],
  uploader: ROLE_NAMES[document.uploadedBy.role],
  uploadedAt: ukDateTime(document.uploadedAt),
  sha256: document.sha256,
  supersedes: document.supersedes,
});

interface Source {
  cover: BundleCover;
  entries: BundleDocument[];
  documents: StoredDocument[];
  read: (id: string) => Readable;
  madeAt: Date;
}

/** The fonts the bundle draws in: standard ones, so nothing is embedded or subset (with a random tag) and the bytes hold still. */
interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  /** The characters they can show (WinAnsi). */
  shows: Set<number>;
}

async function assemble({ cover, entries, documents, read, madeAt }: Source): Promise<Buffer> {
  const bundle = await PDFDocument.create({ updateMetadata: false });
  const regular = await bundle.embedFont(StandardFonts.Helvetica);
  const fonts: Fonts = { regular, bold: await bundle.embedFont(StandardFonts.HelveticaBold), shows: new Set(regular.getCharacterSet()) };
  const merged: PDFPage[][] = [];
  const inclusions: Inclusion[] = [];
  for (const document of documents) {
    const { pages, inclusion } = await include(bundle, document, read);
    merged.push(pages);
    inclusions.push(inclusion);
  }
  const fits = (line: string) => regular.widthOfTextAtSize(shown(fonts, line), TEXT_SIZE) <= PAGE[0] - 2 * MARGIN;
  const layout = layoutIndex(entries, inclusions, fits, INDEX_LINES);

  drawPage(bundle.addPage(PAGE), fonts, 'Hearing bundle', coverLines(cover, inclusions).flatMap((line) => wrapText(line, fits)));
  layout.pages.forEach((lines, n) => drawPage(bundle.addPage(PAGE), fonts, n === 0 ? 'Index' : 'Index (continued)', lines));
  for (const page of merged.flat()) bundle.addPage(page);
  const pages = bundle.getPages();
  if (pages.length !== layout.total) throw new Error(`The bundle has ${pages.length} pages, its index counted ${layout.total}`);
  pages.forEach((page, n) => stamp(page, fonts, footerText(n + 1, layout.total)));

  describe(bundle, cover, madeAt);
  return Buffer.from(await bundle.save({ useObjectStreams: false }));
}

/** A document's pages copied into the bundle, or why it is only listed. */
async function include(bundle: PDFDocument, document: StoredDocument, read: (id: string) => Readable): Promise<{ pages: PDFPage[]; inclusion: Inclusion }> {
  if (document.mediaType !== 'application/pdf') return { pages: [], inclusion: { notIncluded: DOCUMENT_MEDIA_TYPES[document.mediaType] } };
  // pdf-lib reads a PDF whole.
  const { bytes, sha256 } = await readWhole(read(document.id));
  if (sha256 !== document.sha256) return { pages: [], inclusion: { notIncluded: 'the stored bytes no longer match the recorded SHA-256' } };
  try {
    const source = await PDFDocument.load(bytes, { updateMetadata: false });
    const pages = await bundle.copyPages(source, source.getPageIndices());
    return pages.length > 0 ? { pages, inclusion: { pages: pages.length } } : { pages, inclusion: { notIncluded: 'a PDF without pages' } };
  } catch {
    return { pages: [], inclusion: { notIncluded: 'a PDF that could not be read' } };
  }
}

/** The text as the fonts can show it: a character outside WinAnsi becomes '?'. */
const shown = (fonts: Fonts, text: string): string => [...text].map((c) => (fonts.shows.has(c.codePointAt(0) as number) ? c : '?')).join('');

function drawPage(page: PDFPage, fonts: Fonts, heading: string, lines: string[]): void {
  let y = PAGE[1] - MARGIN - HEADING_SIZE;
  page.drawText(heading, { x: MARGIN, y, size: HEADING_SIZE, font: fonts.bold });
  y -= 2 * HEADING_SIZE;
  for (const line of lines) {
    if (line) page.drawText(shown(fonts, line), { x: MARGIN, y, size: TEXT_SIZE, font: fonts.regular });
    y -= LINE;
  }
}

function stamp(page: PDFPage, fonts: Fonts, text: string): void {
  const frame = { ...page.getCropBox(), rotation: page.getRotation().angle };
  const { x, y, angle } = footerPlacement(frame, fonts.regular.widthOfTextAtSize(text, FOOTER_SIZE), FOOTER_MARGIN);
  page.drawText(text, { x, y, size: FOOTER_SIZE, font: fonts.regular, rotate: degrees(angle) });
}

function describe(bundle: PDFDocument, cover: BundleCover, madeAt: Date): void {
  bundle.setTitle(`Hearing bundle: appeal ${cover.reference}`);
  bundle.setSubject(`${cover.proposedMutual} and ${cover.parentBody}`);
  bundle.setCreator('Mutuals appeals engine');
  bundle.setProducer('pdf-lib');
  bundle.setLanguage('en-GB');
  bundle.setCreationDate(madeAt);
  bundle.setModificationDate(madeAt);
}
