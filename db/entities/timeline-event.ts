import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One event of an appeal's append-only, hash-chained timeline. */
@Entity({ name: 'timeline_events' })
export class TimelineEventEntity {
  @PrimaryColumn({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  /** What caused the event (an update id, a timer); unique per appeal so a retry never writes twice. */
  @Column({ name: 'step_key', type: 'text' })
  stepKey: string;

  @Column({ type: 'varchar', length: 48 })
  type: string;

  @Column({ name: 'actor_sub', type: 'text' })
  actorSub: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
