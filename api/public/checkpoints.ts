/** Signed checkpoints of every appeal's timeline, and inclusion proofs against them. */
import { callsOf, type Call } from '../calls';
import type { PublicDeps } from './register';

const call = callsOf<PublicDeps>();
void call;

export const checkpointCalls: Call<PublicDeps>[] = [];
