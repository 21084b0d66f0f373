/**
 * The virus-scan hook: every upload's bytes pass through a scan session before the document is
 * accepted. Only the interface and the default are built: with no scanner configured a document
 * is recorded `unscanned`. A clamd scanner (its INSTREAM command over TCP) would implement it.
 */
import type { ScanResult } from '../../domain/documents';

export interface ScanSession {
  write(chunk: Buffer): void;
  /** Once every byte was written: clean, unscanned, or infected (the upload is refused). */
  finish(): Promise<ScanResult | 'infected'>;
}

export interface VirusScanner {
  start(): ScanSession;
}

export const NO_VIRUS_SCANNER: VirusScanner = {
  start: () => ({ write: () => undefined, finish: () => Promise.resolve('unscanned' as const) }),
};
