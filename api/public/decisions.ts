/** Decided appeals with their reasons, and the Atom feed of decisions and policy versions. */
import { callsOf, type Call } from '../calls';
import type { PublicDeps } from './register';

const call = callsOf<PublicDeps>();
void call;

export const decisionCalls: Call<PublicDeps>[] = [];
