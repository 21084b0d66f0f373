/**
 * Recorded workflow histories for the replay test. `npm run record-histories` runs the lifecycle
 * tests with RECORD_HISTORIES=1, and each path keeps its history under test/histories/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { appealWorkflowId } from '../../workflows/shared';
import { harness } from '../harness';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

export async function keepHistory(name: string, appealId: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const workflowId = appealWorkflowId(appealId);
  const history = await harness().client.workflow.getHandle(workflowId).fetchHistory();
  const file = path.join(HISTORIES_DIR, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) }, null, 1) + '\n');
}
