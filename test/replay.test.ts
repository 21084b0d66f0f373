import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from './support/histories';
import { harness } from './harness';

function recordedHistories() {
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const { workflowId, history } = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
      return { file, workflowId: workflowId as string, history: historyFromJSON(history) };
    });
}

describe('workflow replay over recorded histories', () => {
  it('replays every recorded appeal history without a determinism error', async () => {
    const histories = recordedHistories();
    expect(histories.length).to.be.at.least(6);

    const failures: string[] = [];
    const results = Worker.runReplayHistories({ workflowBundle: harness().workflowBundle }, histories);
    for await (const result of results) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }

    expect(failures).to.deep.equal([]);
  });
});
