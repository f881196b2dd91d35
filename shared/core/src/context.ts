import { AsyncLocalStorage } from 'node:async_hooks';
import type { Inspection } from './inspector.ts';
import type { Timings } from './timing.ts';

/** What the pipeline knows about the request being served, reachable from any code it calls. */
export interface RequestContext {
  requestId: string;
  timings: Timings;
  /** What the request did, for the hub page: only while the inspector is on (development, inspector.ts). */
  inspection?: Inspection;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}

/** Whether the request inspector is on (inspector.ts): at start-up, in development only. */
export const inspectorSwitch = { on: process.env.NODE_ENV === 'development' };
