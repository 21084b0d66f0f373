import type { DataSource } from 'typeorm';
import { openAppeal as openAppealRecord, recordStep as recordAppealStep } from '../db/appeals';
import { createDeliveryActivities } from './delivery';
import type { Mailer } from './mailers';
import type { AppealStep, OpenAppealInput, OpenedAppeal, StepResult } from './types';
import type { WebhookTarget } from './webhook';

export interface ActivityDependencies {
  dataSource: DataSource;
  caseworkerTeam: string;
  /** Where notices are emailed: an SMTP server or the outbox folder. */
  mailer: Mailer;
  /** The webhook notices are also posted to, when one is configured. */
  webhook?: WebhookTarget;
  /** The current instant; tests may pass their own. */
  clock?: () => Date;
}

/** The activities of an appeal, bound to the case-record database and the mail transport. */
export function createActivities({ dataSource, caseworkerTeam, mailer, webhook, clock = () => new Date() }: ActivityDependencies) {
  const context = () => ({ now: clock(), caseworkerTeam });
  return {
    /** Record a new appeal with its first deadline, timeline event and notices. */
    openAppeal: (input: OpenAppealInput): Promise<OpenedAppeal> => openAppealRecord(dataSource, input, context()),
    /** Record one step of an appeal exactly once. */
    recordStep: (step: AppealStep): Promise<StepResult> => recordAppealStep(dataSource, step, context()),
    ...createDeliveryActivities({ dataSource, mailer, webhook, clock }),
  };
}

export type AppealActivities = ReturnType<typeof createActivities>;
