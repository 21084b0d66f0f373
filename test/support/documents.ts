/**
 * Small real files of every type an appeal takes, made in the test: a PDF with pdf-lib, a PNG and
 * a JPEG from their bytes, and DOCX, XLSX, ODT and ODS as minimal zip containers whose first
 * entries are the ones file-type reads (`mimetype` for OpenDocument, `[Content_Types].xml` for OOXML).
 */
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { Config } from '../../config';
import { harness, type ApiResponse } from '../harness';

export interface Sample {
  name: string;
  bytes: Buffer;
  mediaType: string;
}

/** A zip of stored (uncompressed) entries, in order. */
export function zip(entries: [string, string | Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const contentTypes = (main: string, type: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/${main}" ContentType="${type}"/></Types>`;

const ooxml = (main: string, type: string, body: string) => zip([['[Content_Types].xml', contentTypes(main, type)], [main, body]]);

const odf = (mime: string) => zip([['mimetype', mime], ['content.xml', '<?xml version="1.0"?><office:document-content/>']]);

export async function pdf(text = 'The business case'): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage().drawText(text);
  return Buffer.from(await document.save({ updateFieldAppearances: false }));
}

/** A 1×1 PNG, zlib-compressed scanline and all. */
export function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a JFIF JPEG: SOI, APP0, then EOI (enough for a type check; not a picture). */
export function jpeg(): Buffer {
  return Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
}

export async function samples(): Promise<Sample[]> {
  return [
    { name: 'business-case.pdf', bytes: await pdf(), mediaType: 'application/pdf' },
    {
      name: 'case.docx',
      bytes: ooxml('word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml', '<w:document/>'),
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    },
    {
      name: 'model.xlsx',
      bytes: ooxml('xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', '<workbook/>'),
      mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    { name: 'case.odt', bytes: odf('application/vnd.oasis.opendocument.text'), mediaType: 'application/vnd.oasis.opendocument.text' },
    { name: 'model.ods', bytes: odf('application/vnd.oasis.opendocument.spreadsheet'), mediaType: 'application/vnd.oasis.opendocument.spreadsheet' },
    { name: 'chart.png', bytes: png(), mediaType: 'image/png' },
    { name: 'photo.jpg', bytes: jpeg(), mediaType: 'image/jpeg' },
    { name: 'ballot.csv', bytes: Buffer.from('name,vote\nSam,yes\nKim,yes\n'), mediaType: 'text/csv' },
  ];
}

/** A multipart form: the fields first, then the file. */
export function form(fields: Record<string, string>, file?: { name: string; bytes: Buffer | Blob }): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  if (file) body.append('file', file.bytes instanceof Blob ? file.bytes : new Blob([file.bytes]), file.name);
  return body;
}

/** POST a form to the appeal's documents through the harness (so the answer is checked against the document). */
export function upload(appealId: string, token: string | undefined, body: FormData | string, headers?: Record<string, string>): Promise<ApiResponse> {
  return harness().api('POST', `/v1/appeals/${appealId}/documents`, { token, body, headers });
}

/** Everything an upload writes in PostgreSQL: documents, their bytes, and the appeal's timeline. */
export async function written(appealId: string): Promise<Record<string, number>> {
  const [row] = await harness().dataSource.query<Record<string, number>[]>(
    `SELECT (SELECT count(*)::int FROM documents WHERE appeal_id = $1) AS documents,
            (SELECT count(*)::int FROM document_blobs) AS blobs,
            (SELECT count(*)::int FROM document_chunks) AS chunks,
            (SELECT count(*)::int FROM timeline_events WHERE appeal_id = $1) AS events`,
    [appealId],
  );
  return row;
}

/** A document's bytes as the API gives them. */
export async function download(appealId: string, docId: string, token: string, apiUrl = harness().apiUrl) {
  const response = await fetch(`${apiUrl}/v1/appeals/${appealId}/documents/${docId}`, { headers: { authorization: `Bearer ${token}` } });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

export interface OtherApi {
  url: string;
  /** POST a form to the appeal's documents; the answer's JSON parsed. */
  upload(appealId: string, token: string, body: FormData, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** The harness's API with other document settings, on a port of its own (the harness's worker records what it sends). */
export async function apiWith(documents: Partial<Config['documents']>): Promise<OtherApi> {
  const { dataSource, client, config } = harness();
  const app = createApp({ dataSource, client, config: { ...config, documents: { ...config.documents, ...documents } }, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async upload(appealId, token, body, headers = {}) {
      const response = await fetch(`${url}/v1/appeals/${appealId}/documents`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
