import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import readline from 'node:readline';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the child could not be started at all (ENOENT, EACCES), if so. */
  startError?: Error;
}

/** Why a child of spawnChild() could not be started; Node says so with an 'error' event and no 'exit'. */
const startErrors = new WeakMap<ChildProcess, Error>();

/**
 * spawn(), with a failure to start (a missing or unreachable program) kept for exitOf() and
 * describeExit() instead of crashing the process as an unhandled 'error' event.
 */
export function spawnChild(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  child.on('error', (error) => {
    if (child.pid === undefined) startErrors.set(child, error);
  });
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited or failed to start (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<Exit> {
  const exit = (): Exit => ({ code: child.exitCode, signal: child.signalCode, startError: startErrors.get(child) });
  if (hasExited(child)) return Promise.resolve(exit());
  return new Promise((resolve) => {
    child.once('exit', () => resolve(exit()));
    child.once('error', () => {
      if (child.pid === undefined) resolve(exit());
    });
  });
}

export function describeExit({ code, signal, startError }: Exit): string {
  if (startError) return `could not be started (${startError.message})`;
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}

/**
 * Spawns a child whose stdout and stderr lines are printed with a `[name]` prefix. The child
 * gets no stdin.
 */
export function spawnPrefixed(name: string, command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawnChild(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  if (child.stdout) readline.createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
  if (child.stderr) readline.createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(prefix + line + '\n'));
  return child;
}

/**
 * Asks a child to stop (SIGTERM by default), waits up to `timeoutMs`, then kills it. Resolves once
 * it has exited.
 */
export async function stopProcess(child: ChildProcess, { signal = 'SIGTERM', timeoutMs = 15_000 }: { signal?: NodeJS.Signals; timeoutMs?: number } = {}): Promise<Exit> {
  const exited = exitOf(child);
  if (hasExited(child)) return exited;
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return first;
  child.kill('SIGKILL');
  return exited;
}

/** Whether a process id is alive (signal 0 probes without touching it). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls until `pid` is gone or `timeoutMs` passes; true when it is gone. */
export async function waitForPidExit(pid: number, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isPidAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}
