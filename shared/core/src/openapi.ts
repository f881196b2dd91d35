import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { z } from 'zod';
import { ProblemSchema } from './errors.ts';
import type { ApiRouter } from './router.ts';

export interface ApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** `/notes/:id` (Express) → `/notes/{id}` (OpenAPI). */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';

/** Builds the OpenAPI 3.1 document from the same zod schemas that validate requests. */
export function buildOpenApi(info: ApiInfo, mounts: Array<[string, ApiRouter]>) {
  const paths: ZodOpenApiPathsObject = {};
  let secured = false;
  for (const [prefix, router] of mounts) {
    for (const route of router.routes) {
      const { schemas, doc } = route;
      secured ||= route.secured;
      const operation: ZodOpenApiOperationObject = {
        summary: doc.summary,
        ...(doc.description ? { description: doc.description } : {}),
        ...(router.tag ? { tags: [router.tag] } : {}),
        requestParams: {
          ...(schemas.params instanceof z.ZodObject ? { path: schemas.params } : {}),
          ...(schemas.query instanceof z.ZodObject ? { query: schemas.query } : {}),
        },
        ...(schemas.body ? { requestBody: { content: { 'application/json': { schema: schemas.body } } } } : {}),
        responses: {
          ...Object.fromEntries(
            Object.entries(doc.responses).map(([status, body]) => [
              status,
              typeof body === 'string' || !body
                ? { description: body ?? '' }
                : { description: 'Success', content: { 'application/json': { schema: body } } },
            ]),
          ),
          default: { description: 'Problem', content: { 'application/problem+json': { schema: ProblemSchema } } },
        },
        ...(route.secured ? { security: [{ bearerAuth: [] }] } : {}),
      };
      const path = toOpenApiPath(`${prefix}${route.path}`);
      paths[path] = { ...paths[path], [route.method]: operation };
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info: { ...info },
    paths,
    ...(secured ? { components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } } : {}),
  });
}

/** `/openapi.json` and Swagger UI at `/docs`. */
export function docsRoutes(document: ReturnType<typeof buildOpenApi>): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use('/docs', swaggerUi.serve);
  router.get('/docs', swaggerUi.setup(document, { customSiteTitle: `${document.info.title} — API docs` }));
  return router;
}
