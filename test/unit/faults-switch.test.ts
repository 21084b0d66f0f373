import { expect } from 'chai';
import type { AppealActivities } from '../../activities/create';
import { ConfigError, loadConfig } from '../../config';
import { failingAfterCommit } from '../../worker/worker';

describe('the fault suite switches', () => {
  it('are off unless set: no failures after commit, the workflows bundled at start', () => {
    const config = loadConfig({});
    expect(config.faults.failAfterCommit).to.equal(0);
    expect(config.workflowBundlePath).to.equal(undefined);
  });

  it('take a share between 0 and 1 of first attempts to fail after commit, and nothing else', () => {
    expect(loadConfig({ FAULTS_FAIL_AFTER_COMMIT: '0.3' }).faults.failAfterCommit).to.equal(0.3);
    expect(() => loadConfig({ FAULTS_FAIL_AFTER_COMMIT: '1.5' })).to.throw(ConfigError, /FAULTS_FAIL_AFTER_COMMIT/);
    expect(() => loadConfig({ FAULTS_FAIL_AFTER_COMMIT: 'lots' })).to.throw(ConfigError, /FAULTS_FAIL_AFTER_COMMIT/);
  });

  it('leave the activities untouched when off, and wrap only the recording ones when on', () => {
    const record = () => Promise.resolve();
    const activities = { openAppeal: record, recordStep: record, deliverNotice: record } as unknown as AppealActivities;
    expect(failingAfterCommit(activities, 0)).to.equal(activities);
    const wrapped = failingAfterCommit(activities, 0.3);
    expect(Object.keys(wrapped).sort()).to.deep.equal(['deliverNotice', 'openAppeal', 'recordStep']);
    expect(wrapped.recordStep).to.not.equal(activities.recordStep);
  });

  it('reads WORKFLOW_BUNDLE_PATH as a path', () => {
    expect(loadConfig({ WORKFLOW_BUNDLE_PATH: 'dist/workflows.js' }).workflowBundlePath).to.match(/\/dist\/workflows\.js$/);
  });
});
