import path from 'node:path';
import type express from 'express';
import nunjucks from 'nunjucks';
import { ukDate, ukDateTime, ukTime } from './dates';
import { fieldId } from './forms';
import {
  DOCUMENT_CATEGORY_NAMES,
  ACTION_NAMES,
  CALENDAR_NAMES,
  DEADLINE_NAMES,
  DEADLINE_STATE_NAMES,
  DEADLINE_STATE_TAG_CLASSES,
  DELIVERY_NAMES,
  DELIVERY_TAG_CLASSES,
  EVENT_TITLES,
  GROUNDS_NAMES,
  NOTICE_KIND_NAMES,
  RECIPIENT_NAMES,
  ROLE_NAMES,
  STATUS_NAMES,
  STATUS_TAG_CLASSES,
  periodInCalendar,
  periodText,
} from './labels';

const root = path.resolve(__dirname, '..');

/** Where templates are found: ours first, then GOV.UK Frontend's and MOJ Frontend's. */
const TEMPLATE_PATHS = [
  path.join(__dirname, 'views'),
  path.join(root, 'node_modules', 'govuk-frontend', 'dist'),
  path.join(root, 'node_modules', '@ministryofjustice', 'frontend'),
];

/** Nunjucks as the web app's view engine (`res.render('work', {...})`), autoescaping, with the filters below. */
export function useNunjucks(web: express.Express): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_PATHS), { autoescape: true, throwOnUndefined: false });
  env.express(web);
  web.set('view engine', 'njk');
  for (const [name, filter] of Object.entries(FILTERS)) env.addFilter(name, filter as (...args: unknown[]) => unknown);
  return env;
}

const lookup =
  <K extends string>(table: Record<K, string>) =>
  (code: K): string =>
    table[code] ?? code;

export const FILTERS = {
  ukDate,
  ukTime,
  ukDateTime,
  /** What MOJ Frontend's timeline calls for its dates, in UK local time. */
  mojDate: (value: string, type: string) => (type === 'date' || type === 'shortdate' ? ukDate(value) : type === 'time' ? ukTime(value) : ukDateTime(value)),
  pounds: (pence: number) => `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  number: (value: number) => value.toLocaleString('en-GB'),
  /** The id of a form field from its name: `parentBody.name` → `parentBody-name`. */
  fieldId,
  statusName: lookup(STATUS_NAMES),
  statusTagClass: lookup(STATUS_TAG_CLASSES),
  actionName: lookup(ACTION_NAMES),
  deadlineName: lookup(DEADLINE_NAMES),
  deadlineStateName: lookup(DEADLINE_STATE_NAMES),
  deadlineStateTagClass: lookup(DEADLINE_STATE_TAG_CLASSES),
  roleName: lookup(ROLE_NAMES),
  groundsName: lookup(GROUNDS_NAMES),
  calendarName: lookup(CALENDAR_NAMES),
  eventTitle: lookup(EVENT_TITLES),
  noticeKindName: lookup(NOTICE_KIND_NAMES),
  recipientName: lookup(RECIPIENT_NAMES),
  deliveryName: lookup(DELIVERY_NAMES),
  deliveryTagClass: lookup(DELIVERY_TAG_CLASSES),
  periodText,
  periodInCalendar,
  documentCategoryName: lookup(DOCUMENT_CATEGORY_NAMES),
  /** A hex hash with a line-break opportunity every 16 characters (copied, it stays one string). */
  hashBreaks: (hex: string) => (/^[0-9a-f]+$/.test(hex) ? (hex.match(/.{1,16}/g) ?? []).join('<wbr>') : ''),
  /** A file's size as people read it: 12 KB, 3.4 MB. */
  fileSize: (bytes: number) => (bytes < 1000 ? `${bytes} bytes` : bytes < 1e6 ? `${(bytes / 1e3).toFixed(0)} KB` : `${(bytes / 1e6).toFixed(1)} MB`),
};
