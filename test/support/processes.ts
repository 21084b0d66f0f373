/** Processes a test starts as in production (`npm start`, the API, a worker): output kept, exit awaited with a bound. */
import { spawn, type SpawnOptions } from 'node:child_process';
import { exitOf, hasExited, type Exit } from '../../scripts/lib/processes';

export interface Spawned {
  pid: number;
  /** Everything written to stdout and stderr so far, interleaved. */
  output(): string;
  stderr(): string;
  /** Whether the process has exited. */
  exited(): boolean;
  /** Resolves with the exit; rejects when it has not come within `timeoutMs`. */
  exit(timeoutMs: number): Promise<Exit>;
  /** Sends a signal to the process, or to its whole process group when it was started `detached`. */
  signal(signal: NodeJS.Signals): void;
}

export function spawnCollecting(command: string, args: string[], options: SpawnOptions): Spawned {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  const exited = exitOf(child);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const { pid } = child;
  return {
    pid,
    output: () => output,
    stderr: () => stderr,
    exited: () => hasExited(child),
    async exit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} did not exit within ${timeoutMs} ms; its output:\n${output}`)), timeoutMs);
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    signal(signal) {
      try {
        process.kill(options.detached ? -pid : pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
}

/** Polls `check` until it answers true; fails with `what` after `timeoutMs`, or at once when `gone()` says it never will. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, gone: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone()) throw new Error(`gave up waiting: ${what}`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
}

/** The live (non-zombie) processes of a process group. */
export async function livingInGroup(pgid: number): Promise<string[]> {
  const ps = spawn('ps', ['-eo', 'pid=,pgid=,stat=,args='], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  ps.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  await exitOf(ps);
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map((fields) => fields.join(' '));
}

/** Lines that look like a JavaScript stack trace. */
export const stackLines = (text: string): string[] => text.split('\n').filter((line) => /^\s+at .+(:\d+:\d+\)?|\(native\))$/.test(line));

/** This environment minus what would point the app at other servers (as the harness does). */
export function appFreeEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TEMPORAL_|AUTH_|DATABASE_|PORT$|DATA_DIR$|SMTP_URL$|WEBHOOK_|EMBEDDED_|SHUTDOWN_|ACTION_)/.test(key)),
  );
}
