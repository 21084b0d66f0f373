import type { DataSource } from 'typeorm';
import { openAppeal as openAppealRecord, recordStep as recordAppealStep } from '../db/appeals';
import type { AppealStep, OpenAppealInput, OpenedAppeal, StepResult } from './types';

export interface ActivityDependencies {
  dataSource: DataSource;
  caseworkerTeam: string;
  /** The current instant; tests may pass their own. */
  clock?: () => Date;
}

/** The activities of an appeal, bound to the case-record database. */
export function createActivities({ dataSource, caseworkerTeam, clock = () => new Date() }: ActivityDependencies) {
  const context = () => ({ now: clock(), caseworkerTeam });
  return {
    /** Record a new appeal with its first deadline, timeline event and notices. */
    async openAppeal(input: OpenAppealInput): Promise<OpenedAppeal> {
      return openAppealRecord(dataSource, input, context());
    },
    /** Record one step of an appeal exactly once. */
    async recordStep(step: AppealStep): Promise<StepResult> {
      return recordAppealStep(dataSource, step, context());
    },
  };
}

export type AppealActivities = ReturnType<typeof createActivities>;
