import { Router, type RequestHandler } from 'express';
import { createDocument, type ZodOpenApiComponentsObject, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
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
  const securitySchemes: NonNullable<ZodOpenApiComponentsObject['securitySchemes']> = {};
  for (const [prefix, router] of mounts) {
    for (const route of router.routes) {
      const { schemas, doc } = route;
      for (const { name, scheme } of route.security) securitySchemes[name] = scheme;
      const operation: ZodOpenApiOperationObject = {
        summary: doc.summary,
        ...(doc.description ? { description: doc.description } : {}),
        ...(router.tag ? { tags: [router.tag] } : {}),
        requestParams: {
          ...(schemas.params instanceof z.ZodObject ? { path: schemas.params } : {}),
          ...(schemas.query instanceof z.ZodObject ? { query: schemas.query } : {}),
          ...(schemas.headers instanceof z.ZodObject ? { header: schemas.headers } : {}),
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
        // One requirement naming every scheme: all of them are needed together.
        ...(route.security.length > 0 ? { security: [Object.fromEntries(route.security.map(({ name }) => [name, []]))] } : {}),
      };
      const path = toOpenApiPath(`${prefix}${route.path}`);
      paths[path] = { ...paths[path], [route.method]: operation };
    }
  }
  const document = createDocument({
    openapi: '3.1.0',
    info: { ...info },
    paths,
    ...(Object.keys(securitySchemes).length > 0 ? { components: { securitySchemes } } : {}),
  });
  withoutOptionalExamples(document);
  return document;
}

/**
 * An optional query or header parameter loses its example: Swagger UI's "Try it out" fills
 * examples in as values, so "list my notes" would go out as `?tag=home&q=groceries` and answer
 * a filtered list. Required parameters and bodies keep theirs (a request needs them anyway).
 */
function withoutOptionalExamples(document: ReturnType<typeof createDocument>): void {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations ?? {})) {
      const parameters = (operation as { parameters?: unknown[] } | undefined)?.parameters ?? [];
      for (const parameter of parameters as Array<{ required?: boolean; example?: unknown; schema?: { example?: unknown } }>) {
        if (parameter.required) continue;
        delete parameter.example;
        delete parameter.schema?.example;
      }
    }
  }
}

/**
 * `/openapi.json` and Swagger UI at `/docs`. Swagger UI is loaded on the first visit to /docs:
 * swagger-ui-express pulls in the whole browser bundle (over a megabyte of JavaScript), which
 * every process and every test file would otherwise parse to never serve it.
 */
export function docsRoutes(document: ReturnType<typeof buildOpenApi>): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  let swaggerUi: Promise<RequestHandler> | undefined;
  const loadSwaggerUi = async (): Promise<RequestHandler> => {
    const { default: ui } = await import('swagger-ui-express');
    const docs = Router();
    docs.use(ui.serve);
    docs.get('/', ui.setup(document, { customSiteTitle: `${document.info.title} — API docs` }));
    return docs;
  };
  router.use('/docs', async (req, res, next) => {
    (await (swaggerUi ??= loadSwaggerUi()))(req, res, next);
  });
  return router;
}
