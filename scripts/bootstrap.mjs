#!/usr/bin/env node
/**
 * The entry point behind `npm start` and `npm test`. Plain Node with no dependencies, so it can
 * install them: runs `npm ci` when node_modules is missing or behind package-lock.json, makes
 * sure the Temporal CLI is there (scripts/temporal-cli.mjs) and passes its path on as
 * TEMPORAL_CLI, then runs
 *   start: scripts/start.ts (the one-machine stack), or
 *   test:  mocha (configured by .mocharc.json),
 * forwarding extra arguments, SIGINT/SIGTERM and the exit code.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli, TemporalCliError } from './temporal-cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMMANDS = {
  start: () => [process.execPath, ['--import', 'tsx', path.join('scripts', 'start.ts')]],
  test: () => [process.execPath, [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js')]],
};

function log(line) {
  process.stderr.write(`${line}\n`);
}

/** node_modules is stale when a package the lockfile pins is missing or at another version. */
function dependenciesAreStale() {
  const hidden = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(hidden)) return true;
  const lockFile = path.join(root, 'package-lock.json');
  if (fs.statSync(lockFile).mtimeMs <= fs.statSync(hidden).mtimeMs) return false;
  // The lockfile is newer: compare what it pins with what is installed.
  const wanted = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages ?? {};
  const installed = JSON.parse(fs.readFileSync(hidden, 'utf8')).packages ?? {};
  return Object.entries(wanted).some(([location, entry]) => {
    if (location === '' || entry.optional || entry.link) return false;
    return installed[location]?.version !== entry.version;
  });
}

function ensureDependencies() {
  if (!dependenciesAreStale()) return;
  log('Installing dependencies (npm ci) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  if (result.error) throw new Error(`could not run npm: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) {
    log(`npm ci failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!(command in COMMANDS)) {
    log(`usage: node scripts/bootstrap.mjs ${Object.keys(COMMANDS).join('|')} [args...]`);
    process.exit(2);
  }
  ensureDependencies();

  const env = { ...process.env };
  try {
    const cli = await ensureTemporalCli({ log });
    if (cli) env.TEMPORAL_CLI = cli;
    else log('Falling back to the dev server that the Temporal SDK downloads.');
  } catch (error) {
    if (!(error instanceof TemporalCliError)) throw error;
    log(error.message);
    process.exit(1);
  }

  const [program, programArgs] = COMMANDS[command]();
  const child = spawn(program, [...programArgs, ...args], { cwd: root, env, stdio: 'inherit' });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  // npm passes a SIGTERM to its `sh -c`, which dies without passing it on: when our parent goes
  // away, stop the child rather than leave it (and its servers) running.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watchdog);
      forward('SIGTERM');
    }
  }, 1000);
  watchdog.unref();
  child.on('error', (error) => {
    log(`could not run ${program}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1));
  });
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
