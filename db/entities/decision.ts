import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Assessment, DecisionOutcome } from '../../domain/decision';

/** A binding decision. A database trigger refuses any UPDATE or DELETE of a row here. */
@Entity({ name: 'decisions' })
export class DecisionEntity {
  @PrimaryColumn({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: DecisionOutcome;

  @Column({ type: 'jsonb' })
  assessment: Assessment;

  @Column({ type: 'text' })
  reasons: string;

  @Column({ name: 'arbiter_id', type: 'text' })
  arbiterId: string;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;
}
