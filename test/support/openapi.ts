/**
 * Responses checked against the API's own OpenAPI document: every call made through
 * `harness().api` after `checkResponsesAgainstOpenApi()` must answer a status the document lists
 * for that operation, with the documented content type and a body valid against its schema
 * (Ajv, JSON Schema 2020-12, with formats). A response that does not conform fails the test.
 */
import { AssertionError } from 'chai';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { pathTemplates } from '../../api/openapi';
import { harness, type ApiRequest, type ApiResponse } from '../harness';

export interface OpenApiOperation {
  method: string;
  /** The path template, e.g. /v1/appeals/{id} */
  path: string;
  operationId: string;
  operation: any;
}

export interface OpenApi {
  document: any;
  operations: OpenApiOperation[];
  /** The operation a request goes to, if the document has it. */
  operationFor(method: string, path: string): OpenApiOperation | undefined;
  /** Problems with a response: empty when it conforms. */
  violations(method: string, path: string, response: ApiResponse): string[];
}

let loaded: Promise<OpenApi> | undefined;

/** The document the running API serves at /openapi.json, with a validator for its responses. */
export function openApi(): Promise<OpenApi> {
  loaded ??= fetch(`${harness().apiUrl}/openapi.json`)
    .then((response) => response.json())
    .then(compile);
  return loaded;
}

const ESCAPE = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function compile(document: any): OpenApi {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.getSchema(`openapi.json#${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      validators.set(pointer, validate);
    }
    return validate;
  };

  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      operations.push({ method: method.toUpperCase(), path, operationId: operation.operationId, operation });
    }
  }
  const templateOf = pathTemplates(document);
  const operationFor = (method: string, path: string) => {
    const template = templateOf(path.split('?')[0]);
    return operations.find((op) => op.method === method.toUpperCase() && op.path === template);
  };

  const validate = (pointer: string, body: unknown): string[] => {
    const check = validatorAt(pointer);
    return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };

  return {
    document,
    operations,
    operationFor,
    violations(method, path, response) {
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
      const operation = operationFor(method, path);
      if (!operation) {
        // Not a documented call (an unknown route): the answer must still be a problem.
        if (response.status >= 400 && contentType === 'application/problem+json') return validate('/components/schemas/Problem', response.body);
        return response.status >= 400 ? [`${response.status} with ${contentType}, not application/problem+json`] : [];
      }
      const status = String(response.status);
      const documented = operation.operation.responses?.[status] ?? operation.operation.responses?.default;
      if (!documented) return [`${operation.operationId} does not document status ${status}`];
      if (!documented.content) return [];
      if (!documented.content[contentType]) {
        return [`${operation.operationId} ${status}: content type ${contentType || '(none)'} is not one of ${Object.keys(documented.content).join(', ')}`];
      }
      const pointer = `/paths/${ESCAPE(operation.path)}/${operation.method.toLowerCase()}/responses/${status}/content/${ESCAPE(contentType)}/schema`;
      return validate(pointer, response.body).map((problem) => `${operation.operationId} ${status}: ${problem}`);
    },
  };
}

/** Fail (AssertionError) unless `response` to `method path` conforms to the document. */
export async function assertConforms(method: string, urlPath: string, response: ApiResponse): Promise<void> {
  const problems = (await openApi()).violations(method, urlPath, response);
  if (problems.length === 0) return;
  throw new AssertionError(
    `${method} ${urlPath} answered ${response.status}, which does not conform to /openapi.json:\n  ${problems.join('\n  ')}\n` +
      `body: ${JSON.stringify(response.body).slice(0, 2000)}`,
  );
}

const CHECKED = Symbol('responses checked against the OpenAPI document');

/**
 * From now on, every `harness().api` call of the run checks its response against the document.
 * Idempotent; test/conformance.ts calls it as a root hook.
 */
export async function checkResponsesAgainstOpenApi(): Promise<void> {
  const h = harness() as ReturnType<typeof harness> & { [CHECKED]?: true };
  if (h[CHECKED]) return;
  await openApi();
  const call = h.api;
  h.api = async <T = any>(method: string, urlPath: string, request?: ApiRequest): Promise<ApiResponse<T>> => {
    const response = await call<T>(method, urlPath, request);
    await assertConforms(method, urlPath, response);
    return response;
  };
  h[CHECKED] = true;
}
