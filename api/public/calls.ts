/** Every call of the public register, by feature: each file declares its own. */
import { checkpointCalls } from './checkpoints';
import { decisionCalls } from './decisions';
import { departmentPublicCalls } from './departments';
import { statisticsCalls } from './statistics';

export const publicCalls = [...departmentPublicCalls, ...decisionCalls, ...statisticsCalls, ...checkpointCalls];
