/** Types for scripts/temporal-cli.mjs (plain JavaScript so it runs before `npm install`). */
export declare const CLI_VERSIONS: readonly string[];
export declare class TemporalCliError extends Error {}
export declare function ensureTemporalCli(options?: {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  root?: string;
}): Promise<string | null>;
export declare function cacheDir(env?: NodeJS.ProcessEnv): string;
