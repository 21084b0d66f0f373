/**
 * The public register: what anyone may read without signing in, as JSON under /v1/public (the
 * pages under /register show the same). Every answer is built from the public view model
 * (api/public/view-model.ts), the one place that decides what of an appeal may be published.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';

/** What the public calls and pages read from. */
export interface PublicDeps {
  dataSource: DataSource;
  client: Client;
  config: Config;
}

/** How long a public answer may be kept by browsers and caches before it is asked again (ETag makes that cheap). */
export const PUBLIC_MAX_AGE_SECONDS = 60;
