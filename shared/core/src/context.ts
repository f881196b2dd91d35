import { AsyncLocalStorage } from 'node:async_hooks';
import type { Timings } from './timing.ts';

/** What the pipeline knows about the request being served, reachable from any code it calls. */
export interface RequestContext {
  requestId: string;
  timings: Timings;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}
