/**
 * The hearing bundle of an appeal: who may fetch it, what its cover and index say, and on which
 * bundle page each document starts. Pure: api/documents/bundle.ts draws the pages and merges the
 * PDF documents; the words (category names, dates) reach this module already made.
 */
import { createHash } from 'node:crypto';
import type { Role } from './appeal';

/** Of those who may see an appeal, the ones who may fetch its bundle (scoping makes an arbiter the assigned one). */
export const BUNDLE_READERS = ['caseworker', 'arbiter'] as const satisfies Role[];

export function mayFetchBundle(role: Role): boolean {
  return (BUNDLE_READERS as readonly Role[]).includes(role);
}

/** The appeal as the cover shows it, in words. The parties are the two bodies, never a person. */
export interface BundleCover {
  reference: string;
  proposedMutual: string;
  parentBody: string;
  department: string;
  /** When and where, in words; null before a hearing is scheduled. */
  hearing: string | null;
}

/** A document as the index lists it, in words, in upload order. */
export interface BundleDocument {
  id: string;
  title: string;
  category: string;
  uploader: string;
  uploadedAt: string;
  sha256: string;
  /** The id of the earlier document this one is a new version of. */
  supersedes: string | null;
}

/** What the bundle holds of a document: its pages merged in, or why it is only listed. */
export type Inclusion = { pages: number } | { notIncluded: string };

/** The cover is one page; the index follows it. */
export const COVER_PAGES = 1;

/** Bumped whenever the layout changes, so an ETag of an older bundle no longer matches. */
export const BUNDLE_LAYOUT = 'bundle-layout-1';

export const NO_DOCUMENTS = 'No documents have been added to this appeal.';

export const footerText = (page: number, total: number): string => `Bundle page ${page} of ${total}`;

export function coverLines(cover: BundleCover, inclusions: readonly Inclusion[]): string[] {
  const merged = inclusions.filter((inclusion) => 'pages' in inclusion).length;
  const listed = inclusions.length - merged;
  const parts = [...(merged > 0 ? [`${merged} merged in after the index`] : []), ...(listed > 0 ? [`${listed} listed with ${listed === 1 ? 'its' : 'their'} SHA-256 only`] : [])];
  return [
    `Appeal ${cover.reference}`,
    `Proposed mutual: ${cover.proposedMutual}`,
    `Parent body: ${cover.parentBody}`,
    `Department: ${cover.department}`,
    `Hearing: ${cover.hearing ?? 'not scheduled yet'}`,
    '',
    inclusions.length > 0 ? `Documents: ${inclusions.length} (${parts.join(', ')})` : NO_DOCUMENTS,
    "Each SHA-256 is the one recorded in the appeal's timeline when the document was added.",
  ];
}

/**
 * The lines of one index entry (before wrapping): its number and title, its category, who (their
 * role) added it when, its SHA-256, where it starts (or why it is not included), and its versions.
 */
export function indexEntryLines(documents: readonly BundleDocument[], index: number, inclusion: Inclusion, startsAt: number | null): string[] {
  const document = documents[index];
  const numberOf = (id: string) => documents.findIndex((d) => d.id === id) + 1;
  const supersededBy = documents.map((d, n) => (d.supersedes === document.id ? n + 1 : 0)).filter((n) => n > 0);
  const earlier = document.supersedes ? numberOf(document.supersedes) : 0;
  return [
    `${index + 1}. ${document.title}`,
    `Category: ${document.category}`,
    `Added by: ${document.uploader}, ${document.uploadedAt}`,
    `SHA-256: ${document.sha256}`,
    'pages' in inclusion ? `Page ${startsAt} (${inclusion.pages} ${inclusion.pages === 1 ? 'page' : 'pages'})` : `Not included: ${inclusion.notIncluded}`,
    ...(earlier > 0 ? [`A new version of document ${earlier}`] : []),
    ...(supersededBy.length > 0 ? [`Superseded by ${supersededBy.length === 1 ? 'document' : 'documents'} ${supersededBy.join(', ')}`] : []),
  ];
}

/** Where each document starts when the index takes `indexPages` pages: after the cover and the index, in order; null for one only listed. */
export function startPages(indexPages: number, inclusions: readonly Inclusion[]): { starts: (number | null)[]; total: number } {
  let next = COVER_PAGES + indexPages + 1;
  const starts = inclusions.map((inclusion) => {
    if (!('pages' in inclusion)) return null;
    const start = next;
    next += inclusion.pages;
    return start;
  });
  return { starts, total: next - 1 };
}

/** Blocks of lines, in order, on pages of `perPage` lines, none split across two: the blocks of each page (at least one page). */
export function paginate<T>(blocks: readonly T[][], perPage: number): T[][][] {
  const pages: T[][][] = [[]];
  let used = 0;
  for (const block of blocks) {
    if (used > 0 && used + block.length > perPage) {
      pages.push([]);
      used = 0;
    }
    pages[pages.length - 1].push(block);
    used += block.length;
  }
  return pages;
}

/** Words on lines that `fits`, broken at spaces; a word too long for a line is broken where it must be. */
export function wrapText(text: string, fits: (line: string) => boolean): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (fits(joined)) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (line && !fits(line)) {
      const characters = [...line];
      let cut = 1;
      while (cut < characters.length - 1 && fits(characters.slice(0, cut + 1).join(''))) cut++;
      lines.push(characters.slice(0, cut).join(''));
      line = characters.slice(cut).join('');
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

export interface IndexLayout {
  /** The wrapped lines of each index page, entries kept whole. */
  pages: string[][];
  /** The bundle page each document starts on; null for one only listed. */
  starts: (number | null)[];
  /** Bundle pages in all: cover, index and the merged documents. */
  total: number;
}

/**
 * The index laid out on pages of `perPage` lines that `fits`. The page numbers depend on how many
 * pages the index takes, and could (in principle) change its length: laid out until it holds still.
 */
export function layoutIndex(documents: readonly BundleDocument[], inclusions: readonly Inclusion[], fits: (line: string) => boolean, perPage: number): IndexLayout {
  let indexPages = 1;
  for (;;) {
    const { starts, total } = startPages(indexPages, inclusions);
    // Each entry is followed by a blank line.
    const blocks = documents.map((_, n) => [...indexEntryLines(documents, n, inclusions[n], starts[n]).flatMap((line) => wrapText(line, fits)), '']);
    const pages = paginate(blocks.length > 0 ? blocks : [[NO_DOCUMENTS]], perPage).map((page) => page.flat());
    if (pages.length === indexPages) return { pages, starts, total };
    indexPages = pages.length;
  }
}

/** A page's visible box, and its /Rotate in degrees (a multiple of 90). */
export interface PageFrame {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
}

/**
 * Where a footer `textWidth` wide starts, and its angle, so that it reads level and centred at the
 * bottom of the page as shown: a page rotated by /Rotate is shown turned clockwise, so the footer
 * goes on the edge that becomes the bottom, turned the other way.
 */
export function footerPlacement({ x, y, width, height, rotation }: PageFrame, textWidth: number, margin: number): { x: number; y: number; angle: number } {
  switch (((rotation % 360) + 360) % 360) {
    case 90:
      return { x: x + width - margin, y: y + (height - textWidth) / 2, angle: 90 };
    case 180:
      return { x: x + (width + textWidth) / 2, y: y + height - margin, angle: 180 };
    case 270:
      return { x: x + margin, y: y + (height + textWidth) / 2, angle: 270 };
    default:
      return { x: x + (width - textWidth) / 2, y: y + margin, angle: 0 };
  }
}

/** The bundle's ETag: its layout and everything its pages say; each document's content through its SHA-256. */
export function bundleTag(cover: BundleCover, documents: readonly BundleDocument[]): string {
  const hash = createHash('sha256').update(JSON.stringify({ layout: BUNDLE_LAYOUT, cover, documents })).digest('base64url');
  return `"${hash}"`;
}
