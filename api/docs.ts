/**
 * The OpenAPI 3.1 document, generated from the call tables whose schemas validate requests, served at
 * /openapi.json, with interactive docs (Swagger UI, served from this process, no CDN) at /docs.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { appealCalls } from './appeals/calls';
import { arbiterCalls } from './arbiters/calls';
import { departmentCalls } from './departments/calls';
import { appealDocumentCalls } from './documents/calls';
import { calendarCalls } from './calendars/calls';
import { checkpointAdminCalls } from './checkpoints/calls';
import { publicCalls } from './public/calls';
import { BODY_LIMIT_BYTES } from './errors';
import { healthCalls } from './health';
import { documentCalls, type OpenApiDocument } from './openapi';
import { reportCalls } from './reports/calls';
import { ProblemSchema } from './schemas';

export function createOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Claims: sub (1-255 characters, no control characters), role (caseworker | manager | arbiter | admin), department ' +
      "(a department code: required for a manager; an arbiter's home, if any). A token whose claims do not fit is refused with 401.",
  });
  registry.register('Problem', ProblemSchema);
  documentCalls(registry, [...appealCalls, ...appealDocumentCalls, ...arbiterCalls, ...departmentCalls, ...calendarCalls, ...checkpointAdminCalls, ...reportCalls, ...publicCalls, ...healthCalls]);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Mutuals appeals engine',
      version: '1.0.0',
      description:
        'Appeals by public-sector staff who want to spin a service out into a mutual. ' +
        `Bodies are JSON, at most ${BODY_LIMIT_BYTES / 1024} KiB; unknown fields are rejected. ` +
        'Errors are RFC 9457 application/problem+json. Lists page with an opaque `cursor`. ' +
        'Calls are rate limited per caller (429 with Retry-After).',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'Appeals', description: 'Opening appeals and steering them through their lifecycle' },
      { name: 'Documents', description: "An appeal's documents: uploaded, listed, downloaded and verified against the SHA-256 its timeline recorded" },
      { name: 'Arbiters', description: 'The register of independent arbiters' },
      { name: 'Departments', description: 'Departments and their deadline policies' },
      {
        name: 'Calendars',
        description:
          'The bank holidays deadlines are counted on, as versioned data in the format of GOV.UK bank-holidays.json; a change moves the open deadlines it touches',
      },
      { name: 'Reports' },
      { name: 'Public register', description: 'What anyone may read without a token: policies, guidance, decisions, statistics and signed checkpoints' },
      { name: 'Operations', description: 'Liveness, readiness and metrics' },
    ],
  });
}

export function docsRoutes(document: OpenApiDocument): Router {
  return Router()
    .get('/openapi.json', (_req, res) => {
      res.json(document);
    })
    .use('/docs', swaggerUi.serveFiles(document), swaggerUi.setup(document, { customSiteTitle: 'Mutuals appeals API' }));
}
