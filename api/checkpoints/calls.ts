/** The administrator's calls on checkpoints (making one on demand); reading them is public (api/public/checkpoints.ts). */
import { callsOf, type Call } from '../calls';
import type { PublicDeps } from '../public/register';

const call = callsOf<PublicDeps>();
void call;

export const checkpointAdminCalls: Call<PublicDeps>[] = [];
