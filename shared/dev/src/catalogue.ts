/** One service of the hub, built or still to come. Its package name is `level-0N/<slug>`. */
export interface CatalogueEntry {
  level: number;
  slug: string;
  /** The one guarantee the service teaches, as the README's catalogue states it. */
  guarantee: string;
}

export const LEVELS: Record<number, string> = {
  1: 'foundations',
  2: 'CRUD & data flow',
  3: 'auth & security',
  4: 'system features',
  5: 'async & real-time',
  6: 'architecture & scaling',
  7: 'production thinking',
};

const entries: Array<[number, string, string]> = [
  [1, 'health-check', 'Liveness never touches dependencies; readiness fails when one is down'],
  [1, 'counter', 'No lost updates: 200 concurrent increments add exactly 200'],
  [1, 'request-logger', 'Every request is logged once, with its final status, and never with a secret'],
  [2, 'notes', "Other users' notes are invisible: 404, never 403"],
  [2, 'todo', 'A stale write is refused with 412 (ETag / If-Match)'],
  [2, 'expense-tracker', 'Money is integer minor units; summaries equal independent totals'],
  [2, 'contact-manager', 'One email per owner (409); CSV export streams and is injection-safe'],
  [3, 'jwt-auth', 'A reused refresh token revokes its whole family'],
  [3, 'session-auth', 'The session id changes at login; logout destroys it in Redis'],
  [3, 'rbac', 'Every route × role answers as the permission table says'],
  [3, 'password-reset', 'A reset token works once, for 15 minutes, and reveals no account'],
  [4, 'file-upload', 'File type is decided by its bytes, never by its name'],
  [4, 'email-notification', 'Template variables are validated and HTML-escaped; SMTP failure is recorded'],
  [4, 'url-shortener', 'Codes never collide; only http(s) targets; hot codes served from cache'],
  [4, 'search', 'User text never becomes a raw regex; facets match the results'],
  [4, 'feature-flags', 'Rollouts are sticky per user; changes reach every instance'],
  [5, 'background-jobs', 'A worker killed mid-job loses no job'],
  [5, 'email-queue', 'An Idempotency-Key makes duplicate submissions one email'],
  [5, 'realtime-chat', 'Messages reach users connected to another instance'],
  [5, 'notification-queue', 'At-least-once delivery with idempotent handlers'],
  [6, 'api-gateway', 'A slow upstream is a 504, a dead one a 503, never a hang'],
  [6, 'microservice-auth-user', 'Signup completes even when the users service is down for a while'],
  [6, 'central-logging', 'Only keyed services can ingest; retention is enforced'],
  [6, 'rate-limiter', 'Limits are exact under concurrency, across instances'],
  [7, 'audit-log', 'Any tampering with the event chain is detected'],
  [7, 'analytics-event-collector', 'Saturation answers 429/503 instead of falling over; duplicates count once'],
  [7, 'multi-tenant', "No query can see another tenant's data"],
  [7, 'payment-webhook-handler', 'A webhook is verified, and applied once even when delivered twice'],
  [7, 'saas-starter', 'Plan limits hold; billing state follows verified webhooks'],
  [7, 'deployment-ready-api', 'It drains in-flight requests on shutdown and reports its health honestly'],
];

/** The thirty services in learning order. */
export const CATALOGUE: CatalogueEntry[] = entries.map(([level, slug, guarantee]) => ({ level, slug, guarantee }));

export const packageNameOf = ({ level, slug }: Pick<CatalogueEntry, 'level' | 'slug'>): string =>
  `level-${String(level).padStart(2, '0')}/${slug}`;
