#!/usr/bin/env node
/**
 * Finds the Temporal CLI (`temporal`, which embeds the dev server) or builds it once with Go.
 *
 * Plain Node ESM with no dependencies, so it works before `npm install`.
 *
 * Looks, in order, at:
 *   1. $TEMPORAL_CLI (an explicit path; an error if it is not an executable file)
 *   2. ./.tools/bin/temporal (the project's own link)
 *   3. `temporal` on PATH
 *   4. the per-user cache ${XDG_CACHE_HOME:-~/.cache}/mutuals-appeals/temporal-cli/<version>/temporal
 *   5. `go install github.com/temporalio/cli/cmd/temporal@<version>` into that cache, trying each of
 *      CLI_VERSIONS in turn (a build takes several minutes once, never again)
 * and links what it found in the cache (4, 5) to ./.tools/bin/temporal.
 *
 * Returns null when nothing works (no CLI and no Go): callers then fall back to the Temporal SDK's
 * own download (`@temporalio/testing`).
 *
 * As a command, `node scripts/temporal-cli.mjs` prints the path (exit 0) or explains (exit 1).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Tried in this order when building; the first is the one the project is tested with. */
export const CLI_VERSIONS = ['v1.5.1', 'v1.4.1', 'v1.3.0'];
const CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const PROGRESS_EVERY_MS = 10_000;
const BINARY = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class TemporalCliError extends Error {}

/**
 * @param {{ log?: (line: string) => void, env?: NodeJS.ProcessEnv, root?: string }} [options]
 * @returns {Promise<string | null>} an absolute path to a `temporal` executable, or null
 */
export async function ensureTemporalCli({ log = defaultLog, env = process.env, root = projectRoot } = {}) {
  if (env.TEMPORAL_CLI) {
    const explicit = path.resolve(env.TEMPORAL_CLI);
    if (!isExecutable(explicit)) {
      throw new TemporalCliError(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file; fix or unset it.`);
    }
    return explicit;
  }

  const projectLink = path.join(root, '.tools', 'bin', BINARY);
  if (isExecutable(projectLink)) return fs.realpathSync(projectLink);

  const onPath = findOnPath(BINARY, env.PATH);
  if (onPath) return onPath;

  const cacheRoot = cacheDir(env);
  for (const version of CLI_VERSIONS) {
    const cached = path.join(cacheRoot, version, BINARY);
    if (isExecutable(cached)) return linkIntoProject(cached, projectLink, log);
  }

  const go = findOnPath(process.platform === 'win32' ? 'go.exe' : 'go', env.PATH);
  if (!go) {
    log('Temporal CLI not found (no $TEMPORAL_CLI, no .tools/bin/temporal, none on PATH, none cached) and Go is not installed to build it.');
    return null;
  }
  for (const version of CLI_VERSIONS) {
    const built = await buildWithGo({ go, version, cacheRoot, env, log });
    if (built) return linkIntoProject(built, projectLink, log);
  }
  log('Could not build the Temporal CLI with Go (see the build logs above).');
  return null;
}

/** The cache folder holding one sub-folder per CLI version. */
export function cacheDir(env = process.env) {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'mutuals-appeals', 'temporal-cli');
}

function defaultLog(line) {
  process.stderr.write(`${line}\n`);
}

function isExecutable(file) {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name, searchPath = '') {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** Points ./.tools/bin/temporal at the cached binary (a symlink; a copy where links fail). */
function linkIntoProject(target, link, log) {
  try {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true });
    try {
      fs.symlinkSync(target, link);
    } catch {
      fs.copyFileSync(target, link);
      fs.chmodSync(link, 0o755);
    }
  } catch (error) {
    // The cached binary works without the link; the link only saves the next lookup.
    log(`Note: could not link ${link} -> ${target}: ${error.message}`);
  }
  return target;
}

/**
 * `go install` into a fresh folder beside the cache entry, then an atomic rename into place, so a
 * half-written binary is never found and two concurrent builds cannot corrupt each other.
 */
async function buildWithGo({ go, version, cacheRoot, env, log }) {
  const finalDir = path.join(cacheRoot, version);
  const stagingDir = path.join(cacheRoot, `.build-${version}-${process.pid}`);
  const logFile = path.join(cacheRoot, `build-${version}.log`);
  fs.mkdirSync(stagingDir, { recursive: true });
  const logFd = fs.openSync(logFile, 'w');

  log(`Building the Temporal CLI ${version} with ${go} (once; usually 3-8 minutes). Log: ${logFile}`);
  const started = Date.now();
  const progress = setInterval(() => {
    log(`  ... still building the Temporal CLI ${version} (${formatElapsed(Date.now() - started)})`);
  }, PROGRESS_EVERY_MS);
  try {
    const code = await new Promise((resolve) => {
      const child = spawn(go, ['install', '-ldflags=-s -w', `${CLI_PACKAGE}@${version}`], {
        env: { ...env, GOBIN: stagingDir, CGO_ENABLED: '0' },
        stdio: ['ignore', logFd, logFd],
      });
      child.on('error', (error) => {
        fs.writeSync(logFd, `\n${error.message}\n`);
        resolve(-1);
      });
      child.on('exit', (exitCode) => resolve(exitCode ?? -1));
    });
    const staged = path.join(stagingDir, BINARY);
    if (code !== 0 || !isExecutable(staged)) {
      log(`Building the Temporal CLI ${version} failed after ${formatElapsed(Date.now() - started)}; last lines of ${logFile}:`);
      for (const line of tail(logFile, 8)) log(`  | ${line}`);
      return null;
    }
    fs.mkdirSync(finalDir, { recursive: true });
    const finalPath = path.join(finalDir, BINARY);
    fs.renameSync(staged, finalPath);
    log(`Built the Temporal CLI ${version} in ${formatElapsed(Date.now() - started)}: ${finalPath}`);
    return finalPath;
  } finally {
    clearInterval(progress);
    fs.closeSync(logFd);
    fs.rmSync(stagingDir, { recursive: true, force: true });
  }
}

function formatElapsed(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}

// No top-level await: CommonJS code (tsx, mocha) may load this module with require().
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureTemporalCli().then(
    (cli) => {
      if (cli) {
        process.stdout.write(`${cli}\n`);
      } else {
        process.stderr.write('No Temporal CLI available; the SDK will download its own dev server when one is needed.\n');
        process.exitCode = 1;
      }
    },
    (error) => {
      process.stderr.write(`${error instanceof TemporalCliError ? error.message : error.stack}\n`);
      process.exitCode = 1;
    },
  );
}
