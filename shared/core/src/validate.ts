import type { IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, fieldErrors, type FieldError } from './errors.ts';
import { stage } from './timing.ts';

type ParamsDictionary = Record<string, string>;

export interface RequestSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * Request headers the route reads, by their lower-case names (`{ 'if-match': … }`). Other
   * headers pass through untouched; the parsed values replace the raw ones on `req.headers`.
   */
  headers?: z.ZodType;
}

type Parsed<S, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;

/** A request after `validate(schemas)`: params, query, body and the validated headers are the parsed, typed values. */
export type ValidRequest<S extends RequestSchemas> = Request<
  Parsed<S['params'], ParamsDictionary>,
  unknown,
  Parsed<S['body'], unknown>,
  Parsed<S['query'], Record<string, unknown>>
> & { headers: Omit<IncomingHttpHeaders, keyof Parsed<S['headers'], object>> & Parsed<S['headers'], object> };

export const SCHEMAS = Symbol('request schemas');
export type ValidateMiddleware<S extends RequestSchemas> = RequestHandler & { [SCHEMAS]: S };

const LOCATIONS = ['params', 'query', 'headers', 'body'] as const;

/**
 * Parses params, query, headers and body with zod and replaces them with the parsed values, so
 * the handler sees typed data with unknown keys already dropped (or refused, for strict schemas).
 * Every problem in every location is reported at once: 400 problem+json naming each field.
 * An object where a string or number is expected ({"$gt": ""}) fails here, which is what
 * stops operator injection before any query is built.
 */
export function validate<S extends RequestSchemas>(schemas: S): ValidateMiddleware<S> {
  const middleware = stage('validate', (req) => {
    const errors: FieldError[] = [];
    const parsed: Partial<Record<(typeof LOCATIONS)[number], unknown>> = {};
    for (const location of LOCATIONS) {
      const schema = schemas[location];
      if (!schema) continue;
      const result = schema.safeParse(req[location]);
      if (result.success) parsed[location] = result.data;
      else errors.push(...fieldErrors(result.error.issues, location));
    }
    if (errors.length > 0) {
      throw new AppError(400, 'validation-failed', describe(errors), { errors });
    }
    if ('params' in parsed) req.params = parsed.params as ParamsDictionary;
    // Express 5 exposes req.query through a getter; an own property replaces it for this request.
    if ('query' in parsed)
      Object.defineProperty(req, 'query', { value: parsed.query, writable: true, configurable: true, enumerable: true });
    if ('headers' in parsed) req.headers = { ...req.headers, ...(parsed.headers as IncomingHttpHeaders) };
    if ('body' in parsed) req.body = parsed.body;
  });
  return Object.assign(middleware, { [SCHEMAS]: schemas });
}

function describe(errors: FieldError[]): string {
  const names = [...new Set(errors.map((error) => `${error.in}.${error.field}`))];
  return `Invalid ${names.join(', ')}.`;
}

/** Fields the server sets on every stored resource: a client may send them, they are never applied. */
export const SERVER_FIELDS = ['_id', 'id', 'owner', 'role', 'createdAt', 'updatedAt', '__v'] as const;
type ServerField = (typeof SERVER_FIELDS)[number];

/**
 * A request body for a stored resource: `schema`'s fields; the server-set fields (`owner`,
 * `_id`, `createdAt`, `role`…) are accepted and dropped, so a copied response can be sent back
 * as is but never changes who owns what; any other unknown field is a 400 naming it.
 */
export function clientBody<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  // A schema that declares `owner` or `role` itself would have it silently replaced by "ignored":
  // a client could then never set it, and the author would not know why. Refuse it where it is written.
  const declared = Object.keys(schema.shape).filter((field) => (SERVER_FIELDS as readonly string[]).includes(field));
  if (declared.length > 0) {
    throw new Error(
      `clientBody(): ${declared.join(', ')} ${declared.length === 1 ? 'is a field' : 'are fields'} the server sets; a client body cannot declare ${declared.length === 1 ? 'it' : 'them'}.`,
    );
  }
  const ignored = Object.fromEntries(
    SERVER_FIELDS.map((field) => [field, z.unknown().optional().meta({ description: 'set by the server; ignored' })]),
  );
  return schema
    .extend(ignored)
    .strict()
    .transform((body) => {
      const kept = Object.entries(body).filter(([field]) => !(SERVER_FIELDS as readonly string[]).includes(field));
      return Object.fromEntries(kept) as Omit<z.output<z.ZodObject<Shape>>, ServerField>;
    });
}

/** A MongoDB ObjectId in a path or body: 24 hexadecimal characters (anything else is a 400, not a CastError). */
export const objectId = z
  .string()
  .regex(/^[a-f\d]{24}$/i, 'must be a 24-character hexadecimal id')
  .meta({ example: '665f1c2ab3d4e5f60718293a' });

/** `/:id` params of a stored resource. */
export const IdParams = z.strictObject({ id: objectId });
