import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities } from '../activities';
import type { Config } from '../config';

export interface AppealWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataSource: DataSource;
  config: Config;
  /** A pre-built workflow bundle (tests build it once); otherwise the workflows are bundled here. */
  workflowBundle?: WorkflowBundleOption;
}

/** A worker that runs appeal workflows and their activities; the caller runs and shuts it down. */
export async function createAppealWorker(options: AppealWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, dataSource, config, workflowBundle } = options;
  if (!dataSource.isInitialized) await dataSource.initialize();
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ dataSource, caseworkerTeam: config.mail.caseworkerTeam }),
  });
}
