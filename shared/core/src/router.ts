import express, { type RequestHandler, type Router } from 'express';
import { match } from 'path-to-regexp';
import type { z } from 'zod';
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

/** Marks a middleware as a pipeline step the OpenAPI document should know about. */
export const SECURITY = Symbol('security requirement');

export interface RouteRecord {
  method: Method;
  path: string;
  doc: RouteDoc;
  schemas: RequestSchemas;
  secured: boolean;
}

// Route handlers are typed by each project (ValidRequest<…>); the router only passes them on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = RequestHandler<any, any, any, any>;

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
    const schemas = chain.reduce<RequestSchemas>((found, handler) => ({ ...found, ...(handler as { [SCHEMAS]?: RequestSchemas })[SCHEMAS] }), {});
    const secured = chain.some((handler) => SECURITY in handler);
    this.routes.push({ method, path, doc, schemas, secured });
    this.handlers.push({ method, path, chain });
    return this;
  }

  /** The Express router: every route, then 405 for a known path asked with another method. */
  build(): Router {
    const router = express.Router();
    for (const { method, path, chain } of this.handlers) router[method](path, ...chain);
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
