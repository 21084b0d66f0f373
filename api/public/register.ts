/**
 * The public register: what anyone may read without signing in, as JSON under /v1/public (the
 * pages under /register show the same). Every answer is built from the public view model
 * (api/public/view-model.ts), the one place that decides what of an appeal may be published.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { CALENDAR_NAMES } from '../../web/labels';
import { escapeXml as xml } from '../../web/reports/charts';
import { departmentsWithVersions, findDecision, findDecisions, recentPolicyVersions, type DecisionFilter } from '../../db/register';
import { notFound } from '../errors';
import { policyInPlainEnglish, publicDecision, publicDepartment, type PublicDecision, type PublicDepartment } from './view-model';

/** What the public calls and pages read from. */
export interface PublicDeps {
  dataSource: DataSource;
  client: Client;
  config: Config;
}

/** How long a public answer may be kept by browsers and caches before it is asked again (ETag makes that cheap). */
export const PUBLIC_MAX_AGE_SECONDS = 60;

// ---- what the calls and the pages both read --------------------------------------------------------

export async function publicDepartments({ dataSource }: PublicDeps): Promise<PublicDepartment[]> {
  return (await departmentsWithVersions(dataSource)).map((d) => publicDepartment(d, d.versions));
}

/** One department; 404 for a code that names none. */
export async function publicDepartmentOf({ dataSource }: PublicDeps, code: string): Promise<PublicDepartment> {
  const [department] = await departmentsWithVersions(dataSource, code);
  if (!department) throw notFound(`No department ${code}`);
  return publicDepartment(department, department.versions);
}

export const DECISIONS_PAGE_SIZE = 20;

export async function publicDecisions({ dataSource }: PublicDeps, filter: Omit<DecisionFilter, 'limit' | 'offset'> & { page: number }): Promise<{ items: PublicDecision[]; total: number; page: number; pageSize: number }> {
  const { page, ...rest } = filter;
  const { rows, total } = await findDecisions(dataSource, { ...rest, limit: DECISIONS_PAGE_SIZE, offset: (page - 1) * DECISIONS_PAGE_SIZE });
  return { items: rows.map(publicDecision), total, page, pageSize: DECISIONS_PAGE_SIZE };
}

/** One decided appeal; 404 for a reference that names no decided appeal (an open one is not published). */
export async function publicDecisionOf({ dataSource }: PublicDeps, reference: string): Promise<PublicDecision> {
  const row = await findDecision(dataSource, reference);
  if (!row) throw notFound(`No decided appeal ${reference}`);
  return publicDecision(row);
}

const FEED_ENTRIES = 50;

/** The Atom feed of new decisions and policy versions, newest first. */
export async function atomFeed(deps: PublicDeps, registerUrl: string): Promise<string> {
  const [decisions, versions] = await Promise.all([publicDecisions(deps, { page: 1 }), recentPolicyVersions(deps.dataSource, FEED_ENTRIES)]);
  const entries = [
    ...decisions.items.map((d) => ({
      id: `${registerUrl}/register/decisions/${d.reference}`,
      title: `${d.reference}: ${d.outcome === 'overrule' ? 'managers overruled' : 'appeal dismissed'} (${d.proposedMutual.name}, ${d.parentBody})`,
      updated: d.decidedAt,
      summary: d.reasons,
    })),
    ...versions.map((v) => ({
      id: `${registerUrl}/register/departments/${v.code}/versions/${v.version}`,
      title: `${v.name}: policy version ${v.version} (${CALENDAR_NAMES[v.policy.calendar]} bank holidays)`,
      updated: v.createdAt.toISOString(),
      summary: policyInPlainEnglish(v.policy).join(' '),
    })),
  ]
    .sort((a, b) => b.updated.localeCompare(a.updated))
    .slice(0, FEED_ENTRIES);
  const updated = entries[0]?.updated ?? new Date(0).toISOString();
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>Mutuals appeals: decisions and policies</title>`,
    `  <id>${xml(`${registerUrl}/register`)}</id>`,
    `  <link rel="self" href="${xml(`${registerUrl}/v1/public/feed.atom`)}"/>`,
    `  <link href="${xml(`${registerUrl}/register`)}"/>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>Mutuals appeals</name></author>`,
    ...entries.map((e) =>
      [
        '  <entry>',
        `    <id>${xml(e.id)}</id>`,
        `    <title>${xml(e.title)}</title>`,
        `    <link href="${xml(e.id)}"/>`,
        `    <updated>${e.updated}</updated>`,
        `    <summary>${xml(e.summary)}</summary>`,
        '  </entry>',
      ].join('\n'),
    ),
    '</feed>',
    '',
  ].join('\n');
}
