import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { SearchPage, SearchQuery } from './search.schemas.ts';
import { searchCatalogue } from './search.service.ts';

const searching = { query: SearchQuery };

/** GET /search: public, like a shop's search box. */
export function searchRoutes(): ApiRouter {
  return new ApiRouter('search').get(
    '/',
    { summary: 'Search the catalogue: words, filters, facet counts, sort, cursor pages', responses: { 200: SearchPage } },
    validate(searching),
    search,
  );
}

async function search(req: ValidRequest<typeof searching>, res: Response) {
  res.json(await searchCatalogue(req.query));
}
