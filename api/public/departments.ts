/** Departments, their policies in plain English with every earlier version, and their guidance for parent bodies. */
import { callsOf, type Call } from '../calls';
import type { PublicDeps } from './register';

const call = callsOf<PublicDeps>();
void call;

export const departmentPublicCalls: Call<PublicDeps>[] = [];
