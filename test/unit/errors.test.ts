import { expect } from 'chai';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { toAppError } from '../../api/errors';
import { REFUSALS } from '../../workflows/shared';

/** An error as @grpc/grpc-js raises it for a call that ended with `code`: an Error with code, details and metadata. */
function grpcError(code: number, name: string, details = 'the server said no'): Error {
  return Object.assign(new Error(`${code} ${name}: ${details}`), { code, details, metadata: {} });
}

const DEPENDENCY_AWAY = [
  [1, 'CANCELLED'],
  [4, 'DEADLINE_EXCEEDED'],
  [8, 'RESOURCE_EXHAUSTED'],
  [14, 'UNAVAILABLE'],
] as const;

describe('toAppError: Temporal errors', () => {
  const expectUnavailable = (error: unknown) => {
    const mapped = toAppError(error);
    expect(mapped.status, String(error)).to.equal(503);
    expect(mapped.headers).to.include({ 'Retry-After': '5' });
    expect(mapped.detail).to.match(/again/);
    expect(mapped.cause).to.equal(error);
  };

  for (const [code, name] of DEPENDENCY_AWAY) {
    it(`answers 503 for gRPC ${name}: raw, wrapped in a ServiceError, and as an update call timed out or cancelled`, () => {
      expectUnavailable(grpcError(code, name));
      expectUnavailable(new ServiceError('Failed to start Workflow', { cause: grpcError(code, name) }));
      expectUnavailable(new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled', { cause: grpcError(code, name) }));
    });
  }

  it('answers 503 for an update call cancelled on the client side', () => {
    expectUnavailable(new WorkflowUpdateRPCTimeoutOrCancelledError('cancelled', { cause: new CancelledFailure('cancelled') }));
  });

  it('answers 503 while the appeal\'s workflow task is failing (its worker died mid-task) and Temporal refuses updates for now', () => {
    const notReady = grpcError(9, 'FAILED_PRECONDITION', 'Unable to perform workflow execution update due to Workflow Task in failed state.');
    expectUnavailable(notReady);
    expectUnavailable(new ServiceError('Update-With-Start failed', { cause: notReady }));
    expect(toAppError(grpcError(9, 'FAILED_PRECONDITION')).status).to.equal(500);
  });

  it('answers 500 for gRPC errors that are not about a dependency being away or slow', () => {
    for (const [code, name] of [[3, 'INVALID_ARGUMENT'], [7, 'PERMISSION_DENIED'], [13, 'INTERNAL']] as const) {
      expect(toAppError(grpcError(code, name)).status, name).to.equal(500);
      expect(toAppError(new ServiceError('Failed', { cause: grpcError(code, name) })).status, name).to.equal(500);
    }
  });

  it('still maps refusals and a missing workflow', () => {
    const refused = new WorkflowUpdateFailedError('Update failed', ApplicationFailure.create({ type: REFUSALS.businessRule, message: 'No.' }));
    expect(toAppError(refused)).to.include({ status: 422, detail: 'No.' });
    expect(toAppError(new WorkflowNotFoundError('gone', 'appeal-1', undefined)).status).to.equal(404);
  });
});
