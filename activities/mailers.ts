/**
 * Where notices are handed over: an SMTP server (SMTP_URL), or, with none configured, `.eml`
 * files in an outbox folder that a person can open.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  /** The Message-ID header, the same on every attempt so receivers can drop a duplicate. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Files sent with it (a decision notice carries the decision letter). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface Mailer {
  /** Resolves only once the message is accepted, with the id the provider gave it. */
  send(mail: OutgoingMail): Promise<{ providerMessageId: string }>;
}

/** Kept under the delivery activity's start-to-close timeout, so a hung server fails the attempt. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    async send(mail) {
      const info = await transport.sendMail({ ...mail, from });
      return { providerMessageId: queueIdOf(info.response) ?? info.messageId };
    },
  };
}

/** Servers usually answer DATA with "250 ... queued as <id>": that id finds the message in their logs. */
function queueIdOf(response: string | undefined): string | undefined {
  return /queued as\s+<?([^\s>]+)>?/i.exec(response ?? '')?.[1];
}

/** Writes each message to `<dir>/<file>.eml`, named by the Message-ID's local part. */
export function outboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({ ...mail, from });
      const file = path.join(dir, `${localPart(mail.messageId)}.eml`);
      await fs.mkdir(dir, { recursive: true });
      // Written whole or not at all: a reader never finds half a message.
      await fs.writeFile(`${file}.tmp`, info.message);
      await fs.rename(`${file}.tmp`, file);
      return { providerMessageId: file };
    },
  };
}

function localPart(messageId: string): string {
  return messageId.replace(/^<|>$/g, '').split('@')[0].replace(/[^A-Za-z0-9._-]/g, '_');
}

export function createMailer(options: { smtpUrl?: string; from: string; outboxDir: string }): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : outboxMailer(options.outboxDir, options.from);
}
