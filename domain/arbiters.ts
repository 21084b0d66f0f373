/**
 * Who may hear an appeal. Pure: the workflow's validator refuses an assignment with it, and the
 * assign-an-arbiter page marks the arbiters it would refuse, so the rule is written once.
 */

/** An arbiter as far as the rule cares: their home department, if any. */
export interface ArbiterFacts {
  department: string | null;
}

/**
 * Why this arbiter may not hear an appeal of `appealDepartment`, or undefined when they may:
 * an arbiter never hears an appeal against their own home department.
 */
export function conflictOfInterest(arbiter: ArbiterFacts, appealDepartment: string): string | undefined {
  if (!arbiter.department || arbiter.department !== appealDepartment) return undefined;
  return `belongs to ${arbiter.department}, the appeal's own department: a conflict of interest`;
}
