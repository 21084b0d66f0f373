/** The Temporal baseline's one activity: it does nothing. */
export async function noop(): Promise<void> {}
