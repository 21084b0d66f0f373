import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AppealStatus } from '../../domain/lifecycle';
import type { DeadlineKind, Policy } from '../../domain/policy';
import type { AppealSubmission, DeadlineExplanation, DeadlineRecord, DeadlineState, Hearing } from '../../domain/appeal';

@Entity({ name: 'appeals' })
export class AppealEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text', unique: true })
  reference: string;

  @Column({ type: 'varchar', length: 32 })
  status: AppealStatus;

  @Column({ name: 'department_code', type: 'varchar', length: 16 })
  departmentCode: string;

  @Column({ name: 'policy_version', type: 'integer' })
  policyVersion: number;

  /** The policy in force when the appeal was opened; later policy changes never touch it. */
  @Column({ type: 'jsonb' })
  policy: Policy;

  @Column({ name: 'parent_body', type: 'jsonb' })
  parentBody: AppealSubmission['parentBody'];

  @Column({ type: 'jsonb' })
  appellant: AppealSubmission['appellant'];

  @Column({ name: 'proposed_mutual', type: 'jsonb' })
  proposedMutual: AppealSubmission['proposedMutual'];

  @Column({ name: 'grounds_of_appeal', type: 'varchar', length: 32 })
  groundsOfAppeal: AppealSubmission['groundsOfAppeal'];

  @Column({ name: 'request_submitted_on', type: 'date' })
  requestSubmittedOn: string;

  @Column({ name: 'business_case_summary', type: 'text' })
  businessCaseSummary: string;

  @Column({ name: 'manager_defaulted', type: 'boolean', default: false })
  managerDefaulted: boolean;

  @Column({ name: 'arbiter_id', type: 'text', nullable: true })
  arbiterId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  hearing: Hearing | null;

  @Column({ name: 'manager_response_due', type: 'timestamptz', nullable: true })
  managerResponseDue: Date | null;

  @Column({ name: 'hearing_due', type: 'timestamptz', nullable: true })
  hearingDue: Date | null;

  @Column({ name: 'decision_due', type: 'timestamptz', nullable: true })
  decisionDue: Date | null;

  @Column({ name: 'compliance_due', type: 'timestamptz', nullable: true })
  complianceDue: Date | null;

  @Column({ type: 'boolean', default: false })
  overdue: boolean;

  /** Sequence number and hash of the newest timeline event: the head of the hash chain. */
  @Column({ name: 'last_seq', type: 'integer', default: 0 })
  lastSeq: number;

  @Column({ name: 'last_hash', type: 'text', nullable: true })
  lastHash: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'appeal_deadlines' })
export class AppealDeadlineEntity {
  @PrimaryColumn({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  kind: DeadlineKind;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'varchar', length: 16 })
  state: DeadlineState;

  @Column({ name: 'reminder_ats', type: 'jsonb' })
  reminderAts: string[];

  @Column({ type: 'jsonb' })
  explanation: DeadlineExplanation;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  extensions: DeadlineRecord['extensions'];
}
