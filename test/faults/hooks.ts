/**
 * Root hooks of the fault suite (`npm run test:faults`): one Temporal dev server and one
 * embedded PostgreSQL for the run, started as separate processes and torn down at the end, also
 * after a failure or a Ctrl-C. Each scenario starts (and kills) its own API and worker.
 */
import { printReport } from './report';
import { startSystem, tearDownSystem } from './system';

const SETUP_TIMEOUT_MS = 600_000;
let failed = false;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(SETUP_TIMEOUT_MS);
    stopOnSignals();
    await startSystem();
  },
  afterEach(this: Mocha.Context): void {
    if (this.currentTest?.state === 'failed') failed = true;
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    printReport();
    await tearDownSystem({ keepLogs: failed });
  },
};

/** Ctrl-C or SIGTERM during a run: tear everything down rather than leave servers behind. */
function stopOnSignals(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n[faults] ${signal}: tearing down ...\n`);
      tearDownSystem().then(
        () => process.exit(code),
        (error: unknown) => {
          process.stderr.write(`[faults] ${String(error)}\n`);
          process.exit(code);
        },
      );
    });
  }
}
