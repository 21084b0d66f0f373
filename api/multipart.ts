/**
 * Reading a multipart/form-data upload as it arrives (busboy): the fields, which must come before
 * the file, then the one file as a stream. Nothing is buffered here; the size limit cuts the file
 * off the moment it passes (busboy's limits.fileSize), failing its stream with 413.
 */
import type { Request } from 'express';
import busboy from 'busboy';
import { PassThrough, type Readable } from 'node:stream';
import { AppError, badRequest } from './errors';

export interface IncomingFile {
  /** The fields sent before the file. */
  fields: Record<string, string>;
  /** The name the client gave, unsanitised. */
  fileName: string;
  stream: Readable;
}

const tooLarge = (maxBytes: number) => new AppError(413, `A file is at most ${maxBytes / (1024 * 1024)} MB`);

const FIELD_LIMITS = { fields: 10, fieldSize: 4 * 1024, parts: 12, headerPairs: 100 };

/** A multipart body, or 415. */
export function requireMultipart(req: Request): void {
  if (!req.is('multipart/form-data')) throw new AppError(415, 'Send the body as multipart/form-data');
}

/**
 * The first file of the body, once its fields have arrived: 400 for a body that ends without a
 * file, that is not well-formed, or has too many fields. A second file is refused with 400 too.
 * `fields` fills as they arrive, so a form refused without its file can still show what was typed.
 */
export function receiveFile(req: Request, fileField: string, maxBytes: number, fields: Record<string, string> = {}): Promise<IncomingFile> {
  requireMultipart(req);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { ...FIELD_LIMITS, files: 1, fileSize: maxBytes }, defParamCharset: 'utf8' });
    } catch (error) {
      reject(badRequest(`The multipart body cannot be read: ${(error as Error).message}`));
      return;
    }
    let received: PassThrough | undefined;
    const fail = (error: Error) => {
      if (received) received.destroy(error);
      else reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(badRequest(`The field ${name} is too long`, [{ path: `body.${name}`, message: 'too long' }]));
      else fields[name] = value;
    });
    parser.on('file', (name, file, info) => {
      // A file field without a name is how a browser sends "no file chosen".
      if (name === fileField && !received && !info.filename) {
        file.resume();
        return;
      }
      if (name !== fileField || received) {
        file.resume();
        fail(badRequest(`Send one file, in the field ${fileField}`, [{ path: `body.${name}`, message: 'unexpected file' }]));
        return;
      }
      received = new PassThrough();
      // However the upload ends (refused part-way included), the rest of the body is read and dropped.
      received.once('close', () => file.resume());
      file.on('limit', () => received?.destroy(tooLarge(maxBytes)));
      file.on('error', (error: Error) => received?.destroy(error));
      file.pipe(received);
      resolve({ fields: { ...fields }, fileName: info.filename ?? '', stream: received });
    });
    parser.on('partsLimit', () => fail(badRequest('Too many parts in the multipart body')));
    parser.on('fieldsLimit', () => fail(badRequest('Too many fields in the multipart body')));
    parser.on('error', (error: Error) => fail(badRequest(`The multipart body cannot be read: ${error.message}`)));
    parser.on('close', () => {
      if (!received) reject(badRequest(`The body has no file: send it in the field ${fileField}`, [{ path: `body.${fileField}`, message: 'required' }]));
    });
    req.pipe(parser);
  });
}
