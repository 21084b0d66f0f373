/** Statistics per department and quarter, as JSON and CSV, with their data dictionary. */
import { callsOf, type Call } from '../calls';
import type { PublicDeps } from './register';

const call = callsOf<PublicDeps>();
void call;

export const statisticsCalls: Call<PublicDeps>[] = [];
