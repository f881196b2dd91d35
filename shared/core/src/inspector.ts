import { performance } from 'node:perf_hooks';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import type mongoose from 'mongoose';
import { currentRequest, inspectorSwitch } from './context.ts';
import { refreshLoggerFormat, REDACTED } from './logger.ts';
import { isSecretKey } from './secrets.ts';
import type { Timings } from './timing.ts';

/*
 * The request inspector (development only): what a request did, for the hub page. Per request,
 * through the request context: the MongoDB and Redis commands it issued, the mails it handed to
 * the mailer, the log lines it wrote, the authorization and rate-limit decisions, and a 500's
 * error with its stack. Each item is tagged with the pipeline stage that was running when it
 * happened, so the hub can place it on the request's timeline. The record travels with the
 * request's pipeline event (events.ts).
 *
 * Nothing is installed unless the inspector is on: it is on when the process starts with
 * NODE_ENV=development (what `pnpm dev` and the hub page set), off in production and test, where
 * connectMongo() attaches no listener, createRedis() wraps nothing and the logger has no extra
 * format. A test turns it on with inspectRequests(true) before it connects.
 *
 * Work that outlives the request is followed too. A job a request enqueues (queue.ts) is an item
 * of the request, and each attempt a worker makes at it is recorded the same way, in the worker's
 * process: its commands, logs and mails, and how it ended. The attempts are kept in Redis beside
 * the job, for a day, and the service answers them at /__hub/jobs/<queue>/<id> (events.ts): the
 * job's own page on the hub. A socket.io event (socket.ts) is inspected like a request, and the
 * events a request or an event emits are items of it.
 */

/** The budgets that keep a noisy request from flooding the page, and the thresholds of the insights. */
export const INSPECTOR_LIMITS = {
  /** Items kept per kind per request; the ones beyond are counted in `dropped`, not kept. */
  itemsPerKind: 50,
  /** Characters kept of a string value (a filter's value, a key, a log message). */
  valueChars: 200,
  /** Characters kept of a long text: a mail's body, a stack. */
  textChars: 4_000,
  /** The whole record's size, roughly (its items as JSON): items beyond it are dropped. */
  recordBytes: 64_000,
  /** The same command shape this many times in one request is an N+1 hint. */
  repeatedShape: 3,
  /** More database and Redis commands than this in one request is an insight. */
  manyCommands: 30,
  /** A command slower than this (ms) is an insight. */
  slowMs: 100,
};

/** Where each insight is explained, relative to the repository root. */
export const INSIGHT_DOCS = {
  'repeated-shape': 'docs/request-inspector.md#the-same-query-again-and-again-n1',
  'many-commands': 'docs/request-inspector.md#many-commands-in-one-request',
  'slow-command': 'docs/request-inspector.md#a-slow-command',
} as const;

interface ItemBase {
  /** The stage running when it happened (limit, validate, authn, authz, handler…); `pipeline` before the first, `response` once the response went out. */
  stage: string;
  /** Offset from the start of the request, in ms. */
  atMs: number;
}
export interface MongoItem extends ItemBase {
  kind: 'mongo';
  command: string;
  collection?: string;
  filter?: unknown;
  pipeline?: unknown;
  update?: unknown;
  ms?: number;
  /** Documents a read sent back. */
  returned?: number;
  /** Documents a write inserted, changed or deleted. */
  modified?: number;
  error?: string;
}
export interface RedisItem extends ItemBase {
  kind: 'redis';
  command: string;
  key?: string;
  ms?: number;
  error?: string;
}
export interface MailItem extends ItemBase {
  kind: 'mail';
  to: string;
  subject: string;
  bytes: number;
  text: string;
}
export interface LogItem extends ItemBase {
  kind: 'log';
  level: string;
  message: string;
  meta?: unknown;
}
export interface AuthzItem extends ItemBase {
  kind: 'authz';
  principal: string;
  role?: string;
  permission?: string;
  /** `scoped`: an ownership filter limited the query (`filter`), nothing was refused. */
  decision: 'allowed' | 'denied' | 'scoped';
  filter?: Record<string, string>;
}
export interface LimitItem extends ItemBase {
  kind: 'limit';
  name: string;
  limit: number;
  remaining: number;
  /** ISO time the window ends. */
  resetAt?: string;
  allowed: boolean;
}
export interface ErrorItem extends ItemBase {
  kind: 'error';
  name: string;
  message: string;
  stack?: string;
}
/** A job the request put on a queue: the hub opens the job's own page from it. */
export interface JobItem extends ItemBase {
  kind: 'job';
  queue: string;
  name: string;
  /** Set once the queue answered; missing when adding failed. */
  jobId?: string;
  attempts?: number;
  delayMs?: number;
  error?: string;
}
/** A socket.io event sent from the server: to one socket, or to rooms (everyone when `to` is empty). */
export interface EmitItem extends ItemBase {
  kind: 'emit';
  event: string;
  to: string[];
  /** The payload's size as JSON. */
  bytes: number;
}
export type InspectedItem = MongoItem | RedisItem | MailItem | LogItem | AuthzItem | LimitItem | ErrorItem | JobItem | EmitItem;
export type InspectedKind = InspectedItem['kind'];
type Unplaced<Item> = Item extends InspectedItem ? Omit<Item, 'stage' | 'atMs'> : never;

export interface Insight {
  kind: keyof typeof INSIGHT_DOCS;
  message: string;
  /** The docs page that explains it and how to fix it. */
  explain: string;
}

export interface InspectedRequest {
  method: string;
  /** Path and query string, secret-looking parameters replaced by a placeholder. */
  url: string;
  /** The headers a replay needs; credentials replaced by placeholders. */
  headers: Record<string, string>;
  /** The JSON body, secret-looking fields replaced by placeholders. */
  body?: unknown;
  /** The same request as a curl command line (secrets as <placeholders>). */
  curl: string;
}

/** What the hub page shows for one request. */
export interface InspectionRecord {
  /** The request, for "copy as curl"; a job's attempt and a socket event have none. */
  request?: InspectedRequest;
  /** In the order they happened. */
  items: InspectedItem[];
  /** Per kind, the items beyond the budgets: counted, not kept. */
  dropped: Partial<Record<InspectedKind, number>>;
  /** Every command the request issued, kept or not. */
  commands: { mongo: number; redis: number };
  insights: Insight[];
}

/** Turns the inspector on or off for what is created from now on (connections, Redis clients, apps). */
export function inspectRequests(on = true): void {
  inspectorSwitch.on = on;
  refreshLoggerFormat();
}

export function isInspecting(): boolean {
  return inspectorSwitch.on;
}

/** The inspection of the request being served, if the inspector is on. */
export function currentInspection(): Inspection | undefined {
  // A boolean first: with the inspector off (production), the callers in auth, limits and the mailer do nothing else.
  return inspectorSwitch.on ? currentRequest()?.inspection : undefined;
}

const PUBLISH_WAIT_MS = 5_000;

/** One request's record, filled while it runs. */
export class Inspection {
  private readonly items: InspectedItem[] = [];
  private readonly kept = new Map<InspectedKind, number>();
  private readonly dropped: Partial<Record<InspectedKind, number>> = {};
  private readonly commands = { mongo: 0, redis: 0 };
  private readonly shapes = new Map<string, { count: number; command: string; collection: string | undefined }>();
  private readonly slow: Array<{ command: string; where: string; ms: number }> = [];
  private readonly pending = new Set<Promise<unknown>>();
  private bytes = 0;
  private sealed = false;

  private readonly timings: Timings;
  private readonly request: InspectedRequest | undefined;

  constructor(timings: Timings, request?: InspectedRequest) {
    this.timings = timings;
    this.request = request;
  }

  /** Keeps `item` within the budgets, placed at the running stage; undefined when it was dropped. */
  add<Item extends InspectedItem>(item: Unplaced<Item>): Item | undefined {
    if (this.sealed) return undefined;
    const count = this.kept.get(item.kind) ?? 0;
    const size = JSON.stringify(item).length;
    if (count >= INSPECTOR_LIMITS.itemsPerKind || this.bytes + size > INSPECTOR_LIMITS.recordBytes) {
      this.dropped[item.kind] = (this.dropped[item.kind] ?? 0) + 1;
      return undefined;
    }
    this.kept.set(item.kind, count + 1);
    this.bytes += size;
    const placed = {
      stage: this.timings.running ?? (this.timings.totalMs === undefined ? 'pipeline' : 'response'),
      atMs: round(performance.now() - this.timings.startedAt),
      ...item,
    } as unknown as Item;
    this.items.push(placed);
    return placed;
  }

  /** A command was issued: counted whether or not its item is kept; its shape feeds the N+1 hint. */
  countCommand(kind: 'mongo' | 'redis', shape?: { command: string; collection: string | undefined; filter: unknown }): void {
    this.commands[kind] += 1;
    if (!shape) return;
    const key = `${shape.command} ${shape.collection ?? ''} ${JSON.stringify(shapeOf(shape.filter))}`;
    const seen = this.shapes.get(key);
    if (seen) seen.count += 1;
    else this.shapes.set(key, { count: 1, command: shape.command, collection: shape.collection });
  }

  /** A command finished after `ms`: a slow one is remembered for the insights, kept or not. */
  timed(command: string, where: string, ms: number): void {
    if (ms > INSPECTOR_LIMITS.slowMs && this.slow.length < 5) this.slow.push({ command, where, ms });
  }

  /** A log line written while the request ran (the logger calls it, with the line already redacted). */
  log(info: Record<string, unknown>): void {
    // The request's own summary line says what the record already shows.
    if (info.http !== undefined) return;
    const { level, message, requestId: _id, timestamp: _at, ...meta } = info;
    const shown = plain(meta) as Record<string, unknown>;
    this.add<LogItem>({
      kind: 'log',
      level: String(level),
      message: cut(String(message), INSPECTOR_LIMITS.valueChars),
      ...(Object.keys(shown).length > 0 ? { meta: shown } : {}),
    });
  }

  /** Work the request started that ends after its response (a mail sent later): the record waits for it. */
  hold(work: Promise<unknown>): void {
    if (this.sealed) return;
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /** Resolves when the held work is done (at most 5 s), then closes the record: nothing is added after. */
  async settled(): Promise<void> {
    if (this.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((done) => {
        timer = setTimeout(done, PUBLISH_WAIT_MS);
        timer.unref();
      });
      await Promise.race([Promise.all([...this.pending]), limit]);
      clearTimeout(timer);
    }
    this.sealed = true;
  }

  record(): InspectionRecord {
    return {
      ...(this.request ? { request: this.request } : {}),
      items: this.items,
      dropped: this.dropped,
      commands: this.commands,
      insights: this.insights(),
    };
  }

  private insights(): Insight[] {
    const insights: Insight[] = [];
    for (const { count, command, collection } of this.shapes.values()) {
      if (count < INSPECTOR_LIMITS.repeatedShape) continue;
      const on = collection ? ` on ${collection}` : '';
      insights.push({
        kind: 'repeated-shape',
        message: `${count} × ${command}${on} with the same filter shape: one query with $in (or a $lookup) would do`,
        explain: INSIGHT_DOCS['repeated-shape'],
      });
    }
    const total = this.commands.mongo + this.commands.redis;
    if (total > INSPECTOR_LIMITS.manyCommands) {
      insights.push({
        kind: 'many-commands',
        message: `${total} commands in one request (${this.commands.mongo} MongoDB, ${this.commands.redis} Redis): more than ${INSPECTOR_LIMITS.manyCommands}`,
        explain: INSIGHT_DOCS['many-commands'],
      });
    }
    for (const { command, where, ms } of this.slow) {
      insights.push({
        kind: 'slow-command',
        message: `${command}${where ? ` on ${where}` : ''} took ${round(ms)} ms (slower than ${INSPECTOR_LIMITS.slowMs} ms)`,
        explain: INSIGHT_DOCS['slow-command'],
      });
    }
    return insights;
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

// An Authorization value inside a string (a logged header): its scheme stays, its credentials go.
const CREDENTIALS = /\b(Bearer|Basic|Digest)\s+[\w.~+/=-]+/gi;

/** `value` in JSON terms, with every secret-looking key's value [REDACTED] and long strings and arrays cut. */
export function plain(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return cut(value.replace(CREDENTIALS, '$1 <token>'), INSPECTOR_LIMITS.valueChars);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  const bson = (value as { _bsontype?: unknown })._bsontype;
  if (bson === 'ObjectId') return `ObjectId('${String(value)}')`;
  if (bson === 'Binary') return `Binary(${(value as { length(): number }).length()} bytes)`;
  if (typeof bson === 'string') return String(value);
  if (Buffer.isBuffer(value)) return `Buffer(${value.length} bytes)`;
  if (depth >= 6) return '[…]';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 20).map((inner: unknown) => plain(inner, depth + 1));
    return value.length > 20 ? [...shown, `… ${value.length - 20} more`] : shown;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== undefined) copy[key] = isSecretKey(key) ? REDACTED : plain(inner, depth + 1);
  }
  return copy;
}

/** A filter with its values replaced by `?`: two queries that differ only by value have the same shape. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : ['?'];
  if (value === null || typeof value !== 'object' || '_bsontype' in value || value instanceof Date) return '?';
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
}

export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

// --- MongoDB: the driver's command monitoring ---------------------------------------------------

type CommandDocument = Record<string, unknown>;
type StartedEvent = mongoose.mongo.CommandStartedEvent;
type SucceededEvent = mongoose.mongo.CommandSucceededEvent;
type FailedEvent = mongoose.mongo.CommandFailedEvent;

const first = (statements: unknown, field: string): unknown =>
  Array.isArray(statements) ? (statements[0] as CommandDocument | undefined)?.[field] : undefined;

/** What a command asked: the collection, and its filter, pipeline or update. */
function describeCommand(name: string, command: CommandDocument) {
  const target = command[name];
  const collection = typeof target === 'string' ? target : typeof command.collection === 'string' ? command.collection : undefined;
  const filter =
    command.filter ?? command.query ?? first(command.updates, 'q') ?? first(command.deletes, 'q') ?? (name === 'count' ? {} : undefined);
  const update = command.update !== undefined && typeof command.update !== 'string' ? command.update : first(command.updates, 'u');
  return { collection, filter, pipeline: command.pipeline, update };
}

/** What the server answered: documents returned or changed, or the write error. */
function describeReply(name: string, reply: CommandDocument): Pick<MongoItem, 'returned' | 'modified' | 'error'> {
  const cursor = reply.cursor as { firstBatch?: unknown[]; nextBatch?: unknown[] } | undefined;
  const batch = cursor?.firstBatch ?? cursor?.nextBatch;
  const writeErrors = reply.writeErrors as Array<{ code?: number; errmsg?: string; keyPattern?: object }> | undefined;
  const error = writeErrors?.[0]
    ? writeErrors[0].code === 11000
      ? `E11000 duplicate key (${Object.keys(writeErrors[0].keyPattern ?? {}).join(', ') || 'unique index'})`
      : cut(String(writeErrors[0].errmsg ?? writeErrors[0].code), INSPECTOR_LIMITS.valueChars)
    : undefined;
  const described: Pick<MongoItem, 'returned' | 'modified' | 'error'> = error ? { error } : {};
  if (batch) described.returned = batch.length;
  else if (name === 'findAndModify') {
    described.returned = reply.value ? 1 : 0;
    described.modified = Number((reply.lastErrorObject as { n?: number } | undefined)?.n ?? 0);
  } else if (name === 'update') described.modified = Number(reply.nModified ?? 0);
  else if (name === 'insert' || name === 'delete') described.modified = Number(reply.n ?? 0);
  else if (name === 'count') described.returned = Number(reply.n ?? 0);
  return described;
}

/** Listens to a MongoDB client's command monitoring; connectMongo() calls it when the inspector is on. */
export function inspectMongo(client: mongoose.mongo.MongoClient): void {
  const open = new Map<number, { inspection: Inspection; item: MongoItem | undefined; where: string }>();
  client.on('commandStarted', ({ requestId, commandName, command }: StartedEvent) => {
    const inspection = currentInspection();
    if (!inspection) return;
    const { collection, filter, pipeline, update } = describeCommand(commandName, command as CommandDocument);
    inspection.countCommand('mongo', { command: commandName, collection, filter: filter ?? pipeline });
    const item = inspection.add<MongoItem>({
      kind: 'mongo',
      command: commandName,
      ...(collection ? { collection } : {}),
      ...(filter !== undefined ? { filter: plain(filter) } : {}),
      ...(pipeline !== undefined ? { pipeline: plain(pipeline) } : {}),
      ...(update !== undefined ? { update: plain(update) } : {}),
    });
    open.set(requestId, { inspection, item, where: collection ?? '' });
  });
  const finish = (
    requestId: number,
    commandName: string,
    duration: number,
    outcome: Pick<MongoItem, 'returned' | 'modified' | 'error'>,
  ) => {
    const started = open.get(requestId);
    if (!started) return;
    open.delete(requestId);
    started.inspection.timed(commandName, started.where, duration);
    if (started.item) Object.assign(started.item, { ms: round(duration) }, outcome);
  };
  client.on('commandSucceeded', ({ requestId, commandName, duration, reply }: SucceededEvent) =>
    finish(requestId, commandName, duration, describeReply(commandName, reply as CommandDocument)),
  );
  client.on('commandFailed', ({ requestId, commandName, duration, failure }: FailedEvent) =>
    finish(requestId, commandName, duration, { error: cut(failure.message, INSPECTOR_LIMITS.valueChars) }),
  );
}

// --- Redis: ioredis (core's createRedis) and node-redis ---------------------------------------

// A key segment that looks like a random token (a session id, a hash) is shortened: it is a
// credential, or as good as one, and never shown whole.
const RANDOM_SEGMENT = /^[A-Za-z0-9_\-+/=.]{20,}$/;
export function maskKey(key: string): string {
  return cut(
    key
      .split(':')
      .map((segment) => (RANDOM_SEGMENT.test(segment) ? `${segment.slice(0, 4)}…` : segment))
      .join(':'),
    INSPECTOR_LIMITS.valueChars,
  );
}

/** The first key a command names: after the script and the key count for EVAL and EVALSHA. */
function keyOf(name: string, args: readonly unknown[]): string | undefined {
  const upper = name.toUpperCase();
  const scripted = upper === 'EVAL' || upper === 'EVALSHA';
  if (scripted && Number(args[1]) === 0) return undefined;
  const key = scripted ? args[2] : args[0];
  return typeof key === 'string' || Buffer.isBuffer(key) ? maskKey(String(key)) : undefined;
}

/** Records one Redis command of the current request and times it by its promise. */
function recordRedis(name: string, args: readonly unknown[], reply: Promise<unknown>): void {
  const inspection = currentInspection();
  if (!inspection) return;
  inspection.countCommand('redis');
  const command = name.toUpperCase();
  const key = keyOf(command, args);
  const item = inspection.add<RedisItem>({ kind: 'redis', command, ...(key ? { key } : {}) });
  const started = performance.now();
  const done = (error?: unknown) => {
    const ms = performance.now() - started;
    inspection.timed(command, key ?? '', ms);
    if (!item) return;
    item.ms = round(ms);
    if (error) item.error = cut(error instanceof Error ? error.message : String(error), INSPECTOR_LIMITS.valueChars);
  };
  reply.then(() => done(), done);
}

/** Wraps an ioredis client's sendCommand, through which every command goes; createRedis() calls it when the inspector is on. */
export function inspectIoredis(redis: Redis): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = function inspectedSendCommand(...args: Parameters<Redis['sendCommand']>) {
    const [command] = args;
    recordRedis(command.name, command.args, command.promise);
    return send(...args);
  };
}

/**
 * A node-redis client (session-auth's) whose commands the inspector records: every method call
 * that returns a promise is one command (`get`, `set`, `sendCommand([...])`). With the inspector
 * off it returns the client itself, unwrapped.
 */
export function inspectNodeRedis<Client extends object>(client: Client): Client {
  if (!isInspecting()) return client;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return function inspectedCall(this: unknown, ...args: unknown[]) {
        const result: unknown = Reflect.apply(value, this === receiver ? target : this, args);
        if (result instanceof Promise && currentInspection()) {
          const raw = property === 'sendCommand' && Array.isArray(args[0]) ? (args[0] as unknown[]) : [property, ...args];
          recordRedis(String(raw[0]), raw.slice(1), result);
        }
        return result;
      };
    },
  });
}

// --- The other kinds, called from where they happen ----------------------------------------------

/** A mail handed to the mailer (to, subject, size, the body to read it in the hub; secret link parameters masked). */
export function inspectMail({ to, subject, text, html }: { to: string; subject: string; text: string; html?: string | undefined }): void {
  currentInspection()?.add<MailItem>({
    kind: 'mail',
    to,
    subject: cut(subject, INSPECTOR_LIMITS.valueChars),
    bytes: Buffer.byteLength(text) + (html ? Buffer.byteLength(html) : 0),
    text: cut(maskSecretParameters(text), INSPECTOR_LIMITS.textChars),
  });
}

/** `?token=abc&x=1` → `?token=<token>&x=1`: a query parameter with a secret-looking name, in a URL or a mail's link. */
export function maskSecretParameters(text: string): string {
  return text.replace(/([?&])([\w.-]+)=([^&#\s"'<>]*)/g, (whole, separator: string, name: string) =>
    isSecretKey(name) ? `${separator}${name}=<${name}>` : whole,
  );
}

/** authorize()'s decision, or an ownership filter that scoped a query. */
export function inspectAuthorization(decision: Omit<AuthzItem, 'kind' | 'stage' | 'atMs'>): void {
  currentInspection()?.add<AuthzItem>({ kind: 'authz', ...decision });
}

/** A rate limit's decision: what is left of it, and when its window ends. */
export function inspectLimit(name: string, info: { limit: number; used: number; resetTime?: Date | undefined } | undefined): void {
  if (!info) return;
  currentInspection()?.add<LimitItem>({
    kind: 'limit',
    name,
    limit: info.limit,
    remaining: Math.max(0, info.limit - info.used),
    ...(info.resetTime ? { resetAt: info.resetTime.toISOString() } : {}),
    allowed: info.used <= info.limit,
  });
}

/** The error behind a 500, with its stack (the error handler calls it in development only). */
export function inspectError(inspection: Inspection | undefined, error: Error): void {
  inspection?.add<ErrorItem>({
    kind: 'error',
    name: error.name,
    message: cut(error.message, INSPECTOR_LIMITS.valueChars),
    ...(error.stack ? { stack: cut(error.stack, INSPECTOR_LIMITS.textChars) } : {}),
  });
}

/** A job added to a queue by the running request: the item is filled in when the queue answers. */
export function inspectJobAdded(
  queue: string,
  name: string,
  opts: { attempts?: number; delay?: number } | undefined,
  added: Promise<{ id?: string | undefined }>,
): void {
  const item = currentInspection()?.add<JobItem>({
    kind: 'job',
    queue,
    name: cut(name, INSPECTOR_LIMITS.valueChars),
    ...(opts?.attempts ? { attempts: opts.attempts } : {}),
    ...(opts?.delay ? { delayMs: opts.delay } : {}),
  });
  if (!item) return;
  added.then(
    (job) => {
      if (job.id !== undefined) item.jobId = job.id;
    },
    (error: unknown) => {
      item.error = cut(error instanceof Error ? error.message : String(error), INSPECTOR_LIMITS.valueChars);
    },
  );
}

/** A socket.io event the server sent, while a request or an event was being handled. */
export function inspectEmit(event: string, to: readonly string[], payload: readonly unknown[]): void {
  const inspection = currentInspection();
  if (!inspection) return;
  let bytes = 0;
  try {
    bytes = Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    // A payload JSON cannot encode (a buffer, a cycle): socket.io sends it its own way; its size is not ours to tell.
  }
  inspection.add<EmitItem>({
    kind: 'emit',
    event: cut(event, INSPECTOR_LIMITS.valueChars),
    to: to.slice(0, 10).map((room) => cut(room, INSPECTOR_LIMITS.valueChars)),
    bytes,
  });
}

// --- A job's attempts, for the job's own page ------------------------------------------------------

/** One attempt a worker made at a job, as the job's page shows it. */
export interface JobAttempt {
  /** 1 for the first run; a job taken over after a crash counts as another attempt. */
  attempt: number;
  /** ISO time it started. */
  at: string;
  durationMs: number;
  outcome: 'completed' | 'failed';
  error?: string;
  /** The process that ran it: host and pid. */
  worker: string;
  record: InspectionRecord;
}

/** What /__hub/jobs/<queue>/<id> answers. */
export interface JobPage {
  queue: string;
  id: string;
  name: string;
  /** waiting, active, delayed, completed, failed… (BullMQ's states). */
  state: string;
  data: unknown;
  progress: unknown;
  attemptsMade: number;
  attempts: number;
  failedReason?: string;
  result?: unknown;
  createdAt: string;
  finishedAt?: string;
  /** Oldest first: the last 20 attempts the inspector saw. */
  runs: JobAttempt[];
}

/** The queues this process can show a job page for (createQueue registers them while the inspector is on). */
const jobPages = new Map<string, (id: string) => Promise<JobPage | undefined>>();

export function registerJobPages(queue: string, page: (id: string) => Promise<JobPage | undefined>): () => void {
  jobPages.set(queue, page);
  return () => {
    if (jobPages.get(queue) === page) jobPages.delete(queue);
  };
}

export async function jobPage(queue: string, id: string): Promise<JobPage | undefined> {
  return jobPages.get(queue)?.(id);
}

// --- The request itself, for "copy as curl" -------------------------------------------------------

const REPLAYED_HEADERS = ['content-type', 'accept', 'authorization', 'cookie', 'if-match', 'if-none-match', 'x-csrf-token'];
const MAX_BODY_CHARS = 4_000;

/** Secret-looking fields of a body replaced by `<field>` placeholders, at any depth. */
function placeholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(placeholders);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, isSecretKey(key) ? `<${key}>` : placeholders(inner)]));
}

const quoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The request as the inspector keeps it: its credentials replaced by placeholders. */
export function inspectedRequest(req: Request): InspectedRequest {
  const url = maskSecretParameters(req.originalUrl);
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = req.get(name);
    // curl sends `accept: */*` itself.
    if (value === undefined || (name === 'accept' && value === '*/*')) continue;
    if (name === 'authorization') headers[name] = `${value.split(' ')[0] ?? ''} <token>`;
    else headers[name] = isSecretKey(name) || name === 'x-csrf-token' ? `<${name}>` : cut(value, INSPECTOR_LIMITS.valueChars);
  }
  const replayed = placeholders(req.body);
  const json = replayed === undefined || JSON.stringify(replayed) === '{}' ? undefined : JSON.stringify(replayed);
  const body = json !== undefined && json.length > MAX_BODY_CHARS ? `[${json.length} characters, not kept]` : json;
  const host = req.get('host') ?? 'localhost';
  const curl = [
    `curl -i -X ${req.method} ${quoted(`http://${host}${url}`)}`,
    ...Object.entries(headers).map(([name, value]) => `-H ${quoted(`${name}: ${value}`)}`),
    ...(body === undefined ? [] : [`-d ${quoted(body)}`]),
  ].join(' ');
  return { method: req.method, url, headers, ...(body === undefined ? {} : { body: body === json ? replayed : body }), curl };
}
