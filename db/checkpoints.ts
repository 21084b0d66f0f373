/**
 * Signed checkpoints of every appeal's timeline (domain/checkpoint.ts defines what is hashed and
 * signed). A checkpoint is made by one function for the schedule and the administrator alike, and
 * read back with an inclusion proof for one appeal against its timeline as it stands now.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { byReference, checkpointLeafHash, signCheckpoint, signedMessage, type CheckpointKey, type CheckpointLeaf } from '../domain/checkpoint';
import { auditPath, merkleRoot } from '../domain/merkle';
import { eventHash, readTimeline, verifyTimeline, type TimelineEvent } from './timeline';

/** Serialises the making of checkpoints, so their ids follow the order they were made in. */
const CHECKPOINT_LOCK = 0x6368_6b70;

/** A checkpoint as published: everything needed to check its signature. */
export interface Checkpoint {
  id: number;
  createdAt: string;
  appealCount: number;
  root: string;
  signature: string;
  keyId: string;
  publicKey: string;
  /** The exact text signed (domain/checkpoint.ts signedMessage). */
  signedMessage: string;
}

export interface CheckpointWithLeaves extends Checkpoint {
  leaves: CheckpointLeaf[];
}

/** One appeal's timeline now against a checkpoint: the verdict says whether the signed leaf still holds. */
export interface CheckpointProof {
  checkpoint: Checkpoint;
  leaf: CheckpointLeaf;
  leafIndex: number;
  /** Sibling hashes (hex) from the leaf up to the root (RFC 6962). */
  auditPath: string[];
  timelineNow: {
    /** The hash of the event at the leaf's seq, recomputed from the stored events; null when that event is gone. */
    hashAtSeq: string | null;
    latestSeq: number;
    /** Whether the stored hash chain verifies on its own (an attacker who recomputed it makes it verify). */
    chainVerified: boolean;
  };
  verdict: 'unaltered' | 'altered';
  /** The verdict in words: "unaltered since checkpoint 3", "altered since checkpoint 3". */
  statement: string;
}

interface CheckpointRow {
  id: number;
  created_at: Date;
  appeal_count: number;
  root: string;
  signature: string;
  key_id: string;
  public_key: string;
  leaves?: CheckpointLeaf[];
}

const COLUMNS = 'id, created_at, appeal_count, root, signature, key_id, public_key';

/** Hash every appeal's latest timeline event into a Merkle root, sign it and store it. */
export async function makeCheckpoint(dataSource: DataSource, key: CheckpointKey, now: Date): Promise<Checkpoint> {
  return dataSource.transaction(async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock($1)`, [CHECKPOINT_LOCK]);
    const leaves = await latestEvents(db);
    const [{ id }] = await db.query<{ id: number }[]>(`SELECT nextval(pg_get_serial_sequence('checkpoints', 'id'))::int AS id`);
    const fields = { id, root: merkleRoot(leaves.map(checkpointLeafHash)).toString('hex'), count: leaves.length, createdAt: now.toISOString(), keyId: key.keyId };
    const signature = signCheckpoint(key, fields);
    await db.query(
      `INSERT INTO checkpoints (id, created_at, appeal_count, root, signature, key_id, public_key, leaves) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, now, fields.count, fields.root, signature, key.keyId, key.publicKeyPem, JSON.stringify(leaves)],
    );
    return { id, createdAt: fields.createdAt, appealCount: fields.count, root: fields.root, signature, keyId: key.keyId, publicKey: key.publicKeyPem, signedMessage: signedMessage(fields) };
  });
}

/** Each appeal's latest event, in leaf order. */
async function latestEvents(db: EntityManager): Promise<CheckpointLeaf[]> {
  const rows = await db.query<CheckpointLeaf[]>(
    `SELECT DISTINCT ON (e.appeal_id) a.reference, e.seq, trim(e.hash) AS hash
       FROM timeline_events e JOIN appeals a ON a.id = e.appeal_id
      ORDER BY e.appeal_id, e.seq DESC`,
  );
  return rows.sort(byReference);
}

/** A page of checkpoints, newest first, without their leaves; only those holding `reference` if given. */
export async function listCheckpoints(dataSource: DataSource, page: { before?: number; reference?: string; limit: number }): Promise<Checkpoint[]> {
  const rows = await dataSource.query<CheckpointRow[]>(
    `SELECT ${COLUMNS} FROM checkpoints
      WHERE ($1::int IS NULL OR id < $1) AND ($2::text IS NULL OR leaves @> jsonb_build_array(jsonb_build_object('reference', $2::text)))
      ORDER BY id DESC LIMIT $3`,
    [page.before ?? null, page.reference ?? null, page.limit],
  );
  return rows.map(checkpointOf);
}

export async function findCheckpoint(dataSource: DataSource, id: number): Promise<CheckpointWithLeaves | undefined> {
  const [row] = await dataSource.query<CheckpointRow[]>(`SELECT ${COLUMNS}, leaves FROM checkpoints WHERE id = $1`, [id]);
  return row && { ...checkpointOf(row), leaves: row.leaves ?? [] };
}

/** The proof for one appeal in checkpoint `id`, or undefined when the checkpoint or the appeal's leaf is not there. */
export async function proveInCheckpoint(dataSource: DataSource, id: number, reference: string): Promise<CheckpointProof | undefined> {
  const found = await findCheckpoint(dataSource, id);
  const leafIndex = found?.leaves.findIndex((leaf) => leaf.reference === reference) ?? -1;
  if (!found || leafIndex < 0) return undefined;
  const { leaves, ...checkpoint } = found;
  const leaf = leaves[leafIndex];
  const timelineNow = await timelineNowAt(dataSource, reference, leaf.seq);
  const unaltered = timelineNow.hashAtSeq === leaf.hash;
  return {
    checkpoint,
    leaf,
    leafIndex,
    auditPath: auditPath(leaves.map(checkpointLeafHash), leafIndex).map((hash) => hash.toString('hex')),
    timelineNow,
    verdict: unaltered ? 'unaltered' : 'altered',
    statement: `${unaltered ? 'unaltered' : 'altered'} since checkpoint ${checkpoint.id}`,
  };
}

async function timelineNowAt(dataSource: DataSource, reference: string, seq: number): Promise<CheckpointProof['timelineNow']> {
  const [appeal] = await dataSource.query<{ id: string }[]>(`SELECT id FROM appeals WHERE reference = $1`, [reference]);
  if (!appeal) return { hashAtSeq: null, latestSeq: 0, chainVerified: false };
  const events = await readTimeline(dataSource.manager, appeal.id);
  return { hashAtSeq: recomputedHashAt(appeal.id, events, seq), latestSeq: events.at(-1)?.seq ?? 0, chainVerified: verifyTimeline(appeal.id, events).verified };
}

/** The hash of the event at `seq`, chained from the stored contents of the events up to it (never from their stored hashes). */
function recomputedHashAt(appealId: string, events: TimelineEvent[], seq: number): string | null {
  let previous: string | null = null;
  for (const event of events.filter((e) => e.seq <= seq)) {
    previous = eventHash(appealId, previous, event);
    if (event.seq === seq) return previous;
  }
  return null;
}

function checkpointOf(row: CheckpointRow): Checkpoint {
  const createdAt = row.created_at.toISOString();
  const fields = { id: row.id, root: row.root, count: row.appeal_count, createdAt, keyId: row.key_id };
  return { id: row.id, createdAt, appealCount: row.appeal_count, root: row.root, signature: row.signature, keyId: row.key_id, publicKey: row.public_key, signedMessage: signedMessage(fields) };
}
