/**
 * Root hook, after the harness's: from the first test on, every response a test receives through
 * `harness().api` is checked against the API's OpenAPI document (test/support/openapi.ts).
 */
import { checkResponsesAgainstOpenApi } from './support/openapi';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await checkResponsesAgainstOpenApi();
  },
};
