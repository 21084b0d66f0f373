/** A PDF's text as a reader extracts it (pdf.js, through unpdf), its whitespace runs made one space. */
import { extractText, getDocumentProxy } from 'unpdf';

export async function pdfText(pdf: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}
