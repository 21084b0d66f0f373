/**
 * The decision letter as a file: laid out as a tagged PDF (headings, paragraphs and lists in the
 * structure tree, the language en-GB) and as HTML, both from the same sections
 * (domain/decision-letter.ts), from the decision as recorded. The PDF's dates are the decision's,
 * so the same decision always makes the same bytes. The recording (activities/recording.ts)
 * stores it and records it once.
 */
import PDFDocument from 'pdfkit';
import type { EntityManager } from 'typeorm';
import { decisionLetterFacts } from '../db/decision-letters';
import type { StoredBlob } from '../db/document-store';
import { DECISION_LETTER_TITLE, decisionLetter, type DecisionLetter } from '../domain/decision-letter';
import type { DocumentRecord } from '../domain/documents';
import { escapeHtml } from './notice-content';

const AUTHOR = 'Mutuals appeals';
const MARGIN = 72;

/** Beyond Latin-1, the characters of WinAnsi, the only ones the PDF's standard fonts (not embedded) can show. */
const WIN_ANSI_EXTRA = new Set('ƒ–—‘’‚“”„†‡•…€‰‹›ˆ˜™ŒœŠšŸŽž');
/** Letters that do not decompose into a base letter and a mark. */
const BASE_LETTERS: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h' };

function showable(char: string): boolean {
  const code = char.codePointAt(0) as number;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

/**
 * Text the standard fonts can show: another character becomes its base letter ("Ż" "Z", "ł" "l")
 * or "?", rather than bytes that garble the rest of its line. The HTML keeps every character.
 */
export function inStandardFont(text: string): string {
  return [...text].map((char) => (showable(char) ? char : [...(BASE_LETTERS[char] ?? char.normalize('NFKD'))].filter(showable).join('') || '?')).join('');
}

/** The letter as a tagged PDF, byte for byte the same for the same letter. */
export function letterPdf(letter: DecisionLetter): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: letter.title, Subject: letter.subject, Author: AUTHOR, Creator: AUTHOR, Producer: 'PDFKit', CreationDate: letter.date, ModDate: letter.date },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  doc.font('Helvetica-Bold').fontSize(20).text(inStandardFont(letter.title), { structParent: root, structType: 'H1' });
  doc.moveDown(0.5).font('Helvetica').fontSize(11);
  for (const line of letter.preamble) doc.text(inStandardFont(line), { structParent: root });
  for (const section of letter.sections) {
    const sect = doc.struct('Sect');
    root.add(sect);
    doc.moveDown(1).font('Helvetica-Bold').fontSize(14).text(inStandardFont(section.heading), { structParent: sect, structType: 'H2' });
    doc.moveDown(0.3).font('Helvetica').fontSize(11);
    for (const paragraph of section.paragraphs) doc.text(inStandardFont(paragraph), { structParent: sect, paragraphGap: 6 });
    if (section.items) {
      const list = doc.struct('L');
      sect.add(list);
      doc.list(section.items.map(inStandardFont), { structParent: list, bulletRadius: 2, textIndent: 12, paragraphGap: 3 });
      list.end();
    }
    sect.end();
  }
  root.end();
  doc.end();
  return ended;
}

/** The letter as a whole HTML page, with the same words as the PDF. */
export function letterHtml(letter: DecisionLetter): string {
  const section = ({ heading, paragraphs, items }: DecisionLetter['sections'][number]) =>
    [
      '<section>',
      `<h2>${escapeHtml(heading)}</h2>`,
      ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
      ...(items ? ['<ul>', ...items.map((item) => `<li>${escapeHtml(item)}</li>`), '</ul>'] : []),
      '</section>',
    ].join('\n');
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    `<head><meta charset="utf-8"><title>${escapeHtml(letter.title)}</title></head>`,
    '<body>',
    '<main>',
    `<h1>${escapeHtml(letter.title)}</h1>`,
    `<p>${letter.preamble.map(escapeHtml).join('<br>\n')}</p>`,
    ...letter.sections.map(section),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The appeal's decision letter as recorded, and its PDF; null before the decision. */
export async function renderDecisionLetter(db: EntityManager, appealId: string): Promise<{ letter: DecisionLetter; pdf: Buffer } | null> {
  const facts = await decisionLetterFacts(db, appealId);
  if (!facts) return null;
  const letter = decisionLetter(facts);
  return { letter, pdf: await letterPdf(letter) };
}

/** The letter as a document of the appeal, under the id and hash the store gave its bytes. */
export function letterDocument(letter: DecisionLetter, blob: StoredBlob): DocumentRecord {
  return {
    id: blob.id,
    category: 'decision_letter',
    title: DECISION_LETTER_TITLE,
    fileName: letter.fileName,
    mediaType: 'application/pdf',
    size: blob.size,
    sha256: blob.sha256,
    // The engine made it: no scanner looked at it.
    scan: 'unscanned',
    supersedes: null,
  };
}
