/**
 * Signed checkpoints: an attacker with write access to the database can rewrite a timeline and
 * recompute its hash chain so that it verifies again, but not the checkpoints signed before,
 * whose key is not in the database. Each rewrite here is done as that attacker would, in SQL.
 */
import path from 'node:path';
import { expect } from 'chai';
import { readTimeline, verifyTimeline, eventHash } from '../db/timeline';
import { checkpointLeafHash, verifyCheckpointSignature } from '../domain/checkpoint';
import { verifyInclusion } from '../domain/merkle';
import type { AppealView } from '../domain/appeal';
import { ensureCheckpointSchedule } from '../worker/checkpoint-schedule';
import { checkpointScheduleId } from '../workflows/shared';
import { harness } from './harness';
import { expectProblem } from './support/api';
import { castFor, createDepartment, expectCall, openAppeal, steps, type Cast } from './support/appeals';
import { waitFor } from './support/mail';
import { appFreeEnv, spawnCollecting } from './support/processes';

const ROOT = path.resolve(__dirname, '..');
const CLI_TIMEOUT_MS = 60_000;

/** As an attacker: the triggers off for one transaction, the change made, the triggers on again. */
async function behindTheTriggers(work: (query: (sql: string, parameters?: unknown[]) => Promise<unknown>) => Promise<void>): Promise<void> {
  await harness().dataSource.transaction(async (db) => {
    await db.query('ALTER TABLE timeline_events DISABLE TRIGGER USER');
    await work((sql, parameters) => db.query(sql, parameters));
    await db.query('ALTER TABLE timeline_events ENABLE TRIGGER USER');
  });
}

/** Change one event's data and recompute every hash from it on, so the chain verifies again. */
async function rewriteEvent(appealId: string, seq: number, change: (data: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const events = await readTimeline(harness().dataSource.manager, appealId);
  await behindTheTriggers(async (query) => {
    let previous = events.find((event) => event.seq === seq - 1)?.hash ?? null;
    for (const event of events.filter((e) => e.seq >= seq)) {
      const data = event.seq === seq ? change(event.data) : event.data;
      const hash = eventHash(appealId, previous, { ...event, data });
      await query(`UPDATE timeline_events SET data = $3, hash = $4 WHERE appeal_id = $1 AND seq = $2`, [appealId, event.seq, JSON.stringify(data), hash]);
      previous = hash;
    }
    await query(`UPDATE appeals SET last_hash = $2 WHERE id = $1`, [appealId, previous]);
  });
}

/** Delete the newest event and point the appeal at the one before, so the chain verifies again. */
async function deleteNewestEvent(appealId: string): Promise<void> {
  const events = await readTimeline(harness().dataSource.manager, appealId);
  const [before, newest] = events.slice(-2);
  await behindTheTriggers(async (query) => {
    await query(`DELETE FROM timeline_events WHERE appeal_id = $1 AND seq = $2`, [appealId, newest.seq]);
    await query(`UPDATE appeals SET last_seq = $2, last_hash = $3 WHERE id = $1`, [appealId, before.seq, before.hash]);
  });
}

async function chainVerifies(appealId: string): Promise<boolean> {
  return verifyTimeline(appealId, await readTimeline(harness().dataSource.manager, appealId)).verified;
}

/** `npm run verify-checkpoint` as a user runs it, against the harness's API. */
async function verifyCommand(...args: string[]): Promise<{ code: number | null; output: string }> {
  const cli = spawnCollecting(process.execPath, ['--import', 'tsx', 'scripts/verify-checkpoint.ts', ...args, '--api', harness().apiUrl], { cwd: ROOT, env: appFreeEnv() });
  const { code } = await cli.exit(CLI_TIMEOUT_MS);
  return { code, output: cli.output() };
}

const proofOf = (checkpointId: number, reference: string) => harness().api('GET', `/v1/public/checkpoints/${checkpointId}/proof/${reference}`);

describe('Signed checkpoints of every timeline', () => {
  let cast: Cast;
  const makeCheckpoint = () => expectCall(201, 'POST', '/v1/checkpoints', cast.admin);

  /** An appeal with three events: opened, contested, an arbiter assigned. */
  async function appealWithThreeEvents(): Promise<AppealView> {
    const appeal = await openAppeal(cast);
    await steps.contest(cast, appeal.id);
    return steps.assignArbiter(cast, appeal.id);
  }

  before(async () => {
    cast = await castFor(await createDepartment());
  });

  it("an administrator's checkpoint is signed by the configured key, and an appeal in it verifies unaltered, also after later steps", async () => {
    const appeal = await appealWithThreeEvents();
    const checkpoint = await makeCheckpoint();
    const key = harness().config.checkpoints.signingKey!;
    expect(checkpoint).to.include({ keyId: key.keyId, publicKey: key.publicKeyPem });
    const signed = { id: checkpoint.id, root: checkpoint.root, count: checkpoint.appealCount, createdAt: checkpoint.createdAt, keyId: checkpoint.keyId };
    expect(verifyCheckpointSignature(checkpoint.publicKey, signed, checkpoint.signature)).to.equal(true);
    expect(verifyCheckpointSignature(checkpoint.publicKey, { ...signed, count: signed.count + 1 }, checkpoint.signature)).to.equal(false);

    const proof = await proofOf(checkpoint.id, appeal.reference);
    expect(proof.status, JSON.stringify(proof.body)).to.equal(200);
    expect(proof.body).to.deep.include({ verdict: 'unaltered', statement: `unaltered since checkpoint ${checkpoint.id}` });
    expect(proof.body.leaf).to.deep.equal({ reference: appeal.reference, seq: 3, hash: (await readTimeline(harness().dataSource.manager, appeal.id))[2].hash });
    expect(proof.body.timelineNow).to.deep.equal({ hashAtSeq: proof.body.leaf.hash, latestSeq: 3, chainVerified: true });
    const included = verifyInclusion({
      leafHash: checkpointLeafHash(proof.body.leaf),
      index: proof.body.leafIndex,
      treeSize: checkpoint.appealCount,
      path: proof.body.auditPath.map((hash: string) => Buffer.from(hash, 'hex')),
      root: Buffer.from(checkpoint.root, 'hex'),
    });
    expect(included).to.equal(true);

    await steps.scheduleHearing(cast, appeal.id);
    const later = await proofOf(checkpoint.id, appeal.reference);
    expect(later.body).to.deep.include({ verdict: 'unaltered' });
    expect(later.body.timelineNow.latestSeq).to.equal(4);
  });

  it('publishes each checkpoint with its leaves in reference order, and lists them newest first without leaves', async () => {
    const older = await makeCheckpoint();
    const newer = await makeCheckpoint();
    const { body: one } = await harness().api('GET', `/v1/public/checkpoints/${newer.id}`);
    expect(one.leaves).to.have.length(newer.appealCount);
    const references = one.leaves.map((leaf: { reference: string }) => leaf.reference);
    expect(references).to.deep.equal([...references].sort());
    const { body: list } = await harness().api('GET', '/v1/public/checkpoints');
    expect(list.items.slice(0, 2).map((c: { id: number }) => c.id)).to.deep.equal([newer.id, older.id]);
    expect(list.items[0]).to.not.have.property('leaves');
    const { body: page } = await harness().api('GET', `/v1/public/checkpoints?before=${newer.id}`);
    expect(page.items[0].id).to.equal(older.id);
  });

  it('an event rewritten in SQL, every later hash recomputed so the chain verifies again, is altered since the checkpoint', async () => {
    const appeal = await appealWithThreeEvents();
    const checkpoint = await makeCheckpoint();
    await rewriteEvent(appeal.id, 2, (data) => ({ ...data, statement: 'We gave the request every consideration.' }));
    expect(await chainVerifies(appeal.id), 'the rewritten chain verifies on its own').to.equal(true);

    const proof = await proofOf(checkpoint.id, appeal.reference);
    expect(proof.body).to.deep.include({ verdict: 'altered', statement: `altered since checkpoint ${checkpoint.id}` });
    expect(proof.body.timelineNow.chainVerified).to.equal(true);
    expect(proof.body.timelineNow.hashAtSeq).to.be.a('string').and.not.equal(proof.body.leaf.hash);

    const cli = await verifyCommand(appeal.reference);
    expect(cli.code, cli.output).to.equal(1);
    expect(cli.output).to.include(`${appeal.reference}: ALTERED since checkpoint ${checkpoint.id}`);
    expect(cli.output).to.include('the hash chain alone verifies');
  });

  it('the newest event deleted in SQL, the appeal pointed at the one before, is altered since the checkpoint', async () => {
    const appeal = await appealWithThreeEvents();
    const checkpoint = await makeCheckpoint();
    await deleteNewestEvent(appeal.id);
    expect(await chainVerifies(appeal.id), 'the shortened chain verifies on its own').to.equal(true);

    const proof = await proofOf(checkpoint.id, appeal.reference);
    expect(proof.body).to.deep.include({ verdict: 'altered', statement: `altered since checkpoint ${checkpoint.id}` });
    expect(proof.body.timelineNow).to.deep.equal({ hashAtSeq: null, latestSeq: 2, chainVerified: true });

    const cli = await verifyCommand(appeal.reference, '--checkpoint', String(checkpoint.id));
    expect(cli.code, cli.output).to.equal(1);
    expect(cli.output).to.include('none (that event is gone)');
    expect(cli.output).to.include(`${appeal.reference}: ALTERED since checkpoint ${checkpoint.id}`);
  });

  it('the verify command passes a clean appeal against the latest checkpoint holding it, and refuses another key or a bad argument', async () => {
    const appeal = await appealWithThreeEvents();
    const checkpoint = await makeCheckpoint();
    const { keyId } = harness().config.checkpoints.signingKey!;

    const clean = await verifyCommand(appeal.reference, '--key-id', keyId);
    expect(clean.code, clean.output).to.equal(0);
    expect(clean.output).to.include(`Checkpoint ${checkpoint.id} of `);
    expect(clean.output).to.include(`signature: valid, Ed25519 key ${keyId}`);
    expect(clean.output).to.include(`${appeal.reference}: unaltered since checkpoint ${checkpoint.id}`);

    const otherKey = await verifyCommand(appeal.reference, '--key-id', '0000000000000000');
    expect(otherKey.code, otherKey.output).to.equal(1);
    expect(otherKey.output).to.include(`NOT VERIFIED: The checkpoint is signed by key ${keyId}, not 0000000000000000`);

    const usage = await verifyCommand('not-a-reference');
    expect(usage.code, usage.output).to.equal(2);
    expect(usage.output.trim().split('\n')).to.have.length(1);
    expect(usage.output).to.match(/^"not-a-reference" is not an appeal reference; usage: npm run verify-checkpoint/);
  });

  it('answers 404 for an unknown checkpoint or an appeal it does not hold, and lets only administrators make one', async () => {
    const checkpoint = await makeCheckpoint();
    const appealAfter = await openAppeal(cast);
    expectProblem(await harness().api('GET', '/v1/public/checkpoints/2147483647'), 404);
    expectProblem(await proofOf(2_147_483_647, appealAfter.reference), 404);
    expectProblem(await proofOf(checkpoint.id, appealAfter.reference), 404);
    expectProblem(await harness().api('GET', '/v1/public/checkpoints/x'), 400);
    expectProblem(await harness().api('POST', '/v1/checkpoints', { token: cast.caseworker }), 403);
    expectProblem(await harness().api('POST', '/v1/checkpoints', { token: cast.arbiter }), 403);
    expectProblem(await harness().api('POST', '/v1/checkpoints'), 401);
  });

  it('the worker keeps a schedule on its task queue, brought to the interval of a worker that starts, and a run of it makes a checkpoint', async () => {
    const { client, config, dataSource, taskQueue } = harness();
    const schedule = client.schedule.getHandle(checkpointScheduleId(config.databaseSchema));
    const description = await schedule.describe();
    expect(description.spec.intervals).to.have.length(1);
    expect(description.spec.intervals?.[0].every).to.equal(24 * 3_600_000);
    expect(description.action).to.include({ type: 'startWorkflow', workflowType: 'checkpointWorkflow', taskQueue });

    // A worker started with another interval brings the schedule to it: creating it is idempotent.
    await ensureCheckpointSchedule(harness().connection, { ...config, checkpoints: { ...config.checkpoints, intervalHours: 6 } });
    expect((await schedule.describe()).spec.intervals?.[0].every).to.equal(6 * 3_600_000);
    await ensureCheckpointSchedule(harness().connection, config);
    expect((await schedule.describe()).spec.intervals?.[0].every).to.equal(24 * 3_600_000);

    const newest = async () => (await dataSource.query<{ id: number | null }[]>(`SELECT max(id) AS id FROM checkpoints`))[0].id ?? 0;
    const before = await newest();
    await schedule.trigger();
    await waitFor('a checkpoint made by the schedule', async () => ((await newest()) > before ? true : undefined));
  });

  it('/register/checkpoints lists the checkpoints and says how to verify an appeal', async () => {
    const checkpoint = await makeCheckpoint();
    const response = await fetch(`${harness().webUrl}/register/checkpoints`);
    expect(response.status).to.equal(200);
    const page = await response.text();
    expect(page).to.include(checkpoint.root);
    expect(page).to.include(checkpoint.keyId);
    expect(page).to.include('npm run verify-checkpoint -- MUT-2026-000042');
  });
});
