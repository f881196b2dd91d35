import express, { type NextFunction, type RequestHandler, type Response, type Router } from 'express';
import { match } from 'path-to-regexp';
import type { z } from 'zod';
import type { ZodOpenApiComponentsObject } from 'zod-openapi';
import { AppError } from './errors.ts';
import { timingsOf } from './timing.ts';
import { SCHEMAS, type RequestSchemas } from './validate.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What the OpenAPI document says about a route, given on the route line. */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** Success responses by status: a zod schema for a JSON body, or a description for no body. */
  responses: Partial<Record<number, z.ZodType | string>>;
}

/** An OpenAPI security scheme by the name the document gives it (`bearerAuth`, `sessionCookie`…). */
export interface SecurityScheme {
  name: string;
  scheme: ZodOpenApiComponentsObject['securitySchemes'] extends Record<string, infer S> | undefined ? S : never;
}

const SECURITY = Symbol('security schemes');

/**
 * Marks a middleware as one that requires these credentials, so every route it guards is
 * documented as protected, with exactly these schemes (all of them required together: a
 * session cookie and its CSRF header). authenticate() is marked with the Bearer JWT scheme.
 */
export function secured<H extends Handler>(middleware: H, ...schemes: SecurityScheme[]): H {
  return Object.assign(middleware, { [SECURITY]: schemes });
}

export interface RouteRecord {
  method: Method;
  path: string;
  doc: RouteDoc;
  schemas: RequestSchemas;
  /** The security schemes the route's middleware require, all together; empty for a public route. */
  security: SecurityScheme[];
}

// Route handlers are typed by each project (ValidRequest<…>, whose headers may be parsed into
// other types than strings); the router only passes them on to Express.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (req: any, res: Response, next: NextFunction) => unknown;

/**
 * An Express router that also remembers its routes, so that one declaration gives:
 * the route itself, `405 Method Not Allowed` with `Allow` for known paths, and the
 * OpenAPI operation. A route line reads as a sentence, in pipeline order:
 *
 *   router.patch('/:id', { summary: 'Edit a note', responses: { 200: Note } },
 *     validate({ params: NoteId, body: NotePatch }), authenticate(), authorize('notes:update'), updateNote)
 */
export class ApiRouter {
  readonly routes: RouteRecord[] = [];
  private readonly handlers: Array<{ method: Method; path: string; chain: Handler[] }> = [];

  readonly tag: string | undefined;

  /** `tag` groups the routes in the OpenAPI document and Swagger UI. */
  constructor(tag?: string) {
    this.tag = tag;
  }

  get(path: string, doc: RouteDoc, ...chain: Handler[]): this {
    return this.add('get', path, doc, chain);
  }
  post(path: string, doc: RouteDoc, ...chain: Handler[]): this {
    return this.add('post', path, doc, chain);
  }
  put(path: string, doc: RouteDoc, ...chain: Handler[]): this {
    return this.add('put', path, doc, chain);
  }
  patch(path: string, doc: RouteDoc, ...chain: Handler[]): this {
    return this.add('patch', path, doc, chain);
  }
  delete(path: string, doc: RouteDoc, ...chain: Handler[]): this {
    return this.add('delete', path, doc, chain);
  }

  private add(method: Method, path: string, doc: RouteDoc, chain: Handler[]): this {
    const schemas = chain.reduce<RequestSchemas>(
      (found, handler) => ({ ...found, ...(handler as { [SCHEMAS]?: RequestSchemas })[SCHEMAS] }),
      {},
    );
    const security = chain.flatMap((handler) => (handler as { [SECURITY]?: SecurityScheme[] })[SECURITY] ?? []);
    this.routes.push({ method, path, doc, schemas, security });
    this.handlers.push({ method, path, chain });
    return this;
  }

  /** The Express router: every route, then 405 for a known path asked with another method. */
  build(): Router {
    const router = express.Router();
    for (const { method, path, chain } of this.handlers) router[method](path, ...(chain as RequestHandler[]));
    router.use(this.answerMethodNotAllowed());
    return router;
  }

  private answerMethodNotAllowed(): RequestHandler {
    const paths = [...new Set(this.routes.map((route) => route.path))].map((path) => ({
      matches: match(path, { decode: false }),
      methods: this.routes.filter((route) => route.path === path).map((route) => route.method.toUpperCase()),
    }));
    return function answerMethodNotAllowed(req, res, next) {
      const allowed = new Set(paths.filter(({ matches }) => matches(req.path)).flatMap(({ methods }) => methods));
      if (allowed.size === 0) {
        next();
        return;
      }
      timingsOf(res).fail('route');
      if (allowed.has('GET')) allowed.add('HEAD');
      const allow = [...allowed].join(', ');
      if (req.method === 'OPTIONS') {
        res.set('Allow', allow).status(204).end();
        return;
      }
      next(new AppError(405, 'method-not-allowed', `${req.method} is not allowed here; use ${allow}.`, { headers: { Allow: allow } }));
    };
  }
}
