/**
 * The documents of the case page: downloads and the hearing bundle through the person's session,
 * and the upload form.
 * The form is multipart, so its CSRF token is read from its fields, which the form sends before
 * the file: checked before a byte of the file is read (web/app.ts leaves exactly this route to it).
 */
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { Caller } from '../../api/context';
import { bundleAnswer, downloadHeaders, type DocumentService } from '../../api/documents/service';
import { notFound, toAppError } from '../../api/errors';
import { receiveFile } from '../../api/multipart';
import { route } from '../../api/route';
import { DOCUMENT_MEDIA_TYPES } from '../../domain/documents';
import { flashFor, redirectWithSession } from '../flash';
import { refusalAsFormErrors, type FormErrors } from '../forms';
import { appealIdOf } from './routes';

/** POST /appeals/{id}/documents: the one route whose CSRF token is in a multipart body. */
export const UPLOAD_PATH = /^\/appeals\/[^/]+\/documents$/;

export interface CsrfCheck {
  /** Whether the token sent is this session's. */
  valid(req: Request, token: string | undefined): boolean;
  error: Error;
}

export type ShowCase = (req: Request, res: Response, upload: { errors: FormErrors; values: Record<string, string> }, status: number) => Promise<void>;

const FILE_WORDS: Record<string, string> = {
  required: 'Select a file',
  empty: 'The selected file is empty',
  infected: 'The selected file contains a virus',
};

/** A refused upload in the form's words: problems with the file on the file field. */
function uploadErrors(error: unknown, maxBytes: number): FormErrors {
  const refusal = toAppError(error);
  const onFile = (text: string): FormErrors => ({ summary: [{ text, href: '#file' }], fields: { file: { text } } });
  if (refusal.status === 413) return onFile(`The selected file must be smaller than ${maxBytes / (1024 * 1024)} MB`);
  if (refusal.status === 415) return onFile(`The selected file must be a ${Object.values(DOCUMENT_MEDIA_TYPES).join(', ')}`);
  const fileProblem = refusal.errors?.find((problem) => problem.path === 'body.file');
  if (fileProblem) return onFile(FILE_WORDS[fileProblem.message] ?? fileProblem.message);
  if (refusal.status === 422 && !refusal.errors) return onFile(refusal.detail);
  return refusalAsFormErrors(error, { category: 'Select what the document is', title: 'Enter a title of 200 characters or fewer' });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function documentIdOf(params: Record<string, string>): string {
  if (!UUID.test(params.docId ?? '')) throw notFound('No such document');
  return params.docId.toLowerCase();
}

/** The case page's link to the hearing bundle, for those who may fetch it. */
export const bundleHref = (appealId: string): string => `/appeals/${appealId}/bundle.pdf`;

export function documentRoutes(documents: DocumentService, csrf: CsrfCheck, showCase: ShowCase): Router {
  return Router()
    .get(
      '/appeals/:id/bundle.pdf',
      route(async (req, res) => {
        const bundle = await documents.bundle(req.caller as Caller, appealIdOf(req.params as Record<string, string>));
        const { status, headers, body } = await bundleAnswer(bundle, req.get('if-none-match'));
        res.status(status).set(headers).send(body);
      }),
    )
    .get(
      '/appeals/:id/documents/:docId',
      route(async (req, res) => {
        const params = req.params as Record<string, string>;
        const { document, content } = await documents.download(req.caller as Caller, appealIdOf(params), documentIdOf(params));
        res.set(downloadHeaders(document));
        await pipeline(content, res);
      }),
    )
    .post(
      '/appeals/:id/documents',
      route(async (req, res) => {
        const caller = req.caller as Caller;
        const id = appealIdOf(req.params as Record<string, string>);
        const typed: Record<string, string> = {};
        try {
          await documents.checkAppeal(caller, id);
          const incoming = await receiveFile(req, 'file', documents.maxBytes, typed);
          const { _csrf: token, supersedes, ...rest } = incoming.fields;
          // The form's "No: a new document" is an empty supersedes.
          const fields = supersedes ? { ...rest, supersedes } : rest;
          if (!csrf.valid(req, token)) {
            incoming.stream.destroy();
            throw csrf.error;
          }
          const document = await documents.add(caller, id, { ...incoming, fields });
          await redirectWithSession(req, res, `${flashFor(req, `/appeals/${id}`, 'Document added', `${document.title} (${document.fileName})`)}#documents`);
        } catch (error) {
          if (error === csrf.error || ![400, 403, 409, 413, 415, 422].includes(toAppError(error).status)) throw error;
          const { _csrf: _token, ...values } = typed;
          await showCase(req, res, { errors: uploadErrors(error, documents.maxBytes), values }, toAppError(error).status);
        }
      }),
    );
}
