import { expect } from '@jest/globals';
import type { Response } from 'supertest';

/** The answer is a 400 problem+json whose `errors` name `field` in `location` (body, query, params, headers). */
export function expectFieldProblem(response: Response, location: string, field: string): void {
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: location, field })]));
}

/** A problem body without its per-request `requestId`, for asserting that two answers are the same. */
export const withoutRequestId = ({ requestId: _requestId, ...rest }: Record<string, unknown>) => rest;

/**
 * Bad paging for any listing built on the shared pageQuery(): [case, query, field it must name].
 * Spread into a service's own table of bad queries.
 */
export const BAD_PAGE_QUERIES: ReadonlyArray<[string, Record<string, string>, string]> = [
  ['limit=0', { limit: '0' }, 'limit'],
  ['limit=1000', { limit: '1000' }, 'limit'],
  ['limit=ten', { limit: 'ten' }, 'limit'],
  ['page=-1', { page: '-1' }, 'page'],
  ['page=0', { page: '0' }, 'page'],
  ['page and cursor together', { page: '2', cursor: 'abc' }, 'cursor'],
  ['a cursor that is not one', { cursor: 'garbage' }, 'cursor'],
];
