/**
 * socket.io on core's terms: the handshake checks core's access tokens, a socket is cut off when
 * its token expires, each socket has a rate limit, and every event payload is parsed with zod
 * and answered with a typed acknowledgement, never a crash.
 *
 *   io.use(socketAuth({ tokens }));                         // bad token → connect_error with err.data
 *   const on = socketEvents(socket, { limit: socketRateLimit({ points: 20, windowMs: 10_000 }) });
 *   on('message:send', MessageInput, (input, principal) => send(principal, input));   // ack({ ok, data | error })
 *
 * In development, given the app's pipeline events (`socketAuth({ tokens, events })`), each event
 * a client sends is inspected like a request (inspector.ts) and published to the hub page as
 * `EVENT <name>`, its stages timed (authn for the token's expiry, limit, validate, handler), with
 * the commands it ran and the events it emitted; events emitted while a request runs are items
 * of that request. Outside development none of it is installed.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Principal, TokenService } from './auth.ts';
import { requestContext } from './context.ts';
import { AppError, type Problem } from './errors.ts';
import { requestEvent, type PipelineEvents } from './events.ts';
import { Inspection, inspectEmit, isInspecting } from './inspector.ts';
import { logger } from './logger.ts';
import { Timings, type Stage } from './timing.ts';

/** What a refused event or handshake says: an HTTP-like status, a stable code, and the fields that were wrong. */
export interface SocketProblem {
  status: number;
  code: string;
  detail: string;
  fields?: Array<{ field: string; message: string }>;
  /** With `rate-limited`: how long until the socket's window starts again. */
  retryAfterMs?: number;
}

/** Every acknowledgement: `ok` with the handler's result, or the problem. */
export type Ack<T = unknown> = { ok: true; data: T } | { ok: false; error: SocketProblem };

/** A timer the caller can replace, so a test moves time instead of waiting. */
export interface SocketTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: SocketTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Timers a test drives: `move(ms)` changes the clock only, `advance(ms)` changes it and runs
 * every timer that is then due, `reset()` puts the clock back to the real time.
 */
export function manualSocketTimers() {
  let now = Date.now();
  const armed: Array<{ run: () => void; at: number; cleared: boolean }> = [];
  const timers: SocketTimers = {
    now: () => now,
    setTimeout: (run, ms) => {
      const timer = { run, at: now + ms, cleared: false };
      armed.push(timer);
      return timer;
    },
    // Like the real one, clearing nothing (undefined) is a no-op.
    clearTimeout: (handle) => {
      if (handle) (handle as { cleared: boolean }).cleared = true;
    },
  };
  return {
    timers,
    move: (ms: number) => void (now += ms),
    advance(ms: number) {
      now += ms;
      const due = armed.filter((timer) => !timer.cleared && timer.at <= now);
      for (const timer of due) armed.splice(armed.indexOf(timer), 1);
      for (const timer of due) timer.run();
    },
    reset: () => void (now = Date.now()),
  };
}

/** The longest delay setTimeout honours; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the handshake left on the socket: who it is and when its token stops being valid. */
export interface SocketIdentity {
  principal: Principal;
  expiresAt: number;
}

export const identityOf = (socket: Socket): SocketIdentity => {
  const identity = (socket.data as { identity?: SocketIdentity }).identity;
  if (!identity) throw new Error('identityOf(): socketAuth() did not run on this socket');
  return identity;
};

/** A connect_error whose `data` the client reads (`err.data.code`): socket.io sends it as is. */
function connectError(problem: SocketProblem): Error & { data: SocketProblem } {
  return Object.assign(new Error(problem.detail), { data: problem });
}

const tokenOf = (socket: Socket): unknown => {
  const fromAuth = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
  if (fromAuth !== undefined) return fromAuth;
  const header = socket.handshake.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
};

/**
 * The handshake middleware: `auth: { token }` (or an `Authorization: Bearer` header) must be an
 * access token core's token service accepts, revocation list included; else the client gets a
 * connect_error whose `data` is a 401 SocketProblem (503 when revocations cannot be checked).
 * An accepted socket is disconnected when its token expires: the server emits `session:expired`
 * first, then closes it, so a client knows to log in again rather than retry.
 */
export function socketAuth({
  tokens,
  timers = realTimers,
  events,
}: {
  tokens: TokenService;
  timers?: SocketTimers;
  /** The app's pipeline events (`app.locals.pipelineEvents`, development): the hub page sees each socket event. */
  events?: PipelineEvents | undefined;
}) {
  return async (socket: Socket, next: (error?: Error) => void): Promise<void> => {
    if (events && isInspecting()) inspectSocket(socket, events);
    const token = tokenOf(socket);
    if (typeof token !== 'string' || token === '') {
      next(connectError({ status: 401, code: 'unauthorized', detail: 'Send an access token as auth.token in the handshake.' }));
      return;
    }
    let principal: Principal;
    try {
      principal = await tokens.check(token);
    } catch (error) {
      const known = error instanceof AppError;
      next(
        connectError({
          status: known ? error.status : 401,
          code: known && error.status !== 401 ? error.code : 'unauthorized',
          detail: known ? error.message : 'The access token is not valid.',
        }),
      );
      return;
    }
    // check() verified the signature and exp; decode only reads the exp it accepted.
    const { exp } = jwt.decode(token) as { exp: number };
    const identity: SocketIdentity = { principal, expiresAt: exp * 1000 };
    (socket.data as { identity?: SocketIdentity }).identity = identity;
    armExpiry(socket, identity, timers);
    next();
  };
}

function armExpiry(socket: Socket, identity: SocketIdentity, timers: SocketTimers): void {
  let handle: unknown;
  const fire = () => {
    const left = identity.expiresAt - timers.now();
    if (left > 0) {
      handle = timers.setTimeout(fire, Math.min(left, MAX_TIMER_MS));
      return;
    }
    expire(socket);
  };
  handle = timers.setTimeout(fire, Math.min(Math.max(identity.expiresAt - timers.now(), 0), MAX_TIMER_MS));
  socket.once('disconnect', () => timers.clearTimeout(handle));
}

const EXPIRED: SocketProblem = { status: 401, code: 'token-expired', detail: 'The access token has expired: log in again and reconnect.' };

function expire(socket: Socket): void {
  socket.emit('session:expired', EXPIRED);
  socket.disconnect(true);
}

/** A fixed-window limit for one socket: `points` events per `windowMs`; `maxStrikes` refused events in a row of windows disconnect it. */
export interface SocketRateLimitOptions {
  points: number;
  windowMs: number;
  /** How many refused events a socket may send before it is disconnected. */
  maxStrikes: number;
  timers?: Pick<SocketTimers, 'now'>;
}

export interface SocketRateLimit {
  /** 'ok' when the event may run, 'limited' when refused, 'disconnect' when the socket has been refused too often. */
  take(): 'ok' | 'limited' | 'disconnect';
  /** Milliseconds until the current window ends. */
  retryAfterMs(): number;
}

/**
 * One counter per socket, in memory: a socket lives on one instance, so its limit needs no
 * Redis. Call it once per connection. Strikes (refused events) are counted over the socket's
 * whole life, so a client that keeps pushing after being told is disconnected.
 */
export function socketRateLimit({ points, windowMs, maxStrikes, timers = realTimers }: SocketRateLimitOptions): () => SocketRateLimit {
  return () => {
    let windowStart = timers.now();
    let used = 0;
    let strikes = 0;
    return {
      take() {
        const now = timers.now();
        if (now - windowStart >= windowMs) {
          windowStart = now;
          used = 0;
        }
        if (used < points) {
          used += 1;
          return 'ok';
        }
        strikes += 1;
        return strikes >= maxStrikes ? 'disconnect' : 'limited';
      },
      retryAfterMs: () => Math.max(0, windowStart + windowMs - timers.now()),
    };
  };
}

export interface SocketEventsOptions {
  /** The socket's rate limit (one per socket: call the socketRateLimit() factory's result). */
  limit?: SocketRateLimit;
  timers?: Pick<SocketTimers, 'now'>;
}

type Handler<S extends z.ZodType, T> = (input: z.output<S>, principal: Principal) => Promise<T> | T;

const problemOf = (error: unknown, event: string): SocketProblem => {
  if (error instanceof AppError && error.isTrusted) {
    const fields = error.errors?.map(({ field, message }) => ({ field, message }));
    return { status: error.status, code: error.code, detail: error.message, ...(fields ? { fields } : {}) };
  }
  logger.error(`socket event ${event} failed`, { error });
  return { status: 500, code: 'internal', detail: 'The event could not be handled.' };
};

/**
 * Declares a socket's events. Each one: the token must still be valid (else `token-expired`
 * and a disconnect), the rate limit must allow it (else `rate-limited` with `retryAfterMs`;
 * a repeat offender is disconnected), the payload must parse with its zod schema (else
 * `invalid-payload` naming each field); then the handler's result is acknowledged as
 * `{ ok: true, data }`, a thrown AppError as `{ ok: false, error }`, anything else as a 500
 * problem that says nothing of its cause. An event sent without an ack callback still runs.
 */
export function socketEvents(socket: Socket, { limit, timers = realTimers }: SocketEventsOptions = {}) {
  const identity = identityOf(socket);
  const events = inspectedSockets.get(socket);
  return function on<S extends z.ZodType, T>(event: string, schema: S, handler: Handler<S, T>): void {
    /** Runs the event through its checks and handler; returns what was acknowledged. */
    const handle = async (payload: unknown, ack: (answer: Ack<T>) => void, timings?: Timings): Promise<Ack<T>> => {
      const answer = (reply: Ack<T>, stage?: Stage) => {
        if (stage) timings?.fail(stage);
        ack(reply);
        return reply;
      };
      const refuse = (error: SocketProblem, stage: Stage) => answer({ ok: false, error }, stage);
      if (timed(timings, 'authn', () => identity.expiresAt <= timers.now())) {
        const refused = refuse(EXPIRED, 'authn');
        expire(socket);
        return refused;
      }
      if (limit) {
        const verdict = timed(timings, 'limit', () => limit.take());
        if (verdict !== 'ok') {
          const refused = refuse(
            { status: 429, code: 'rate-limited', detail: 'Too many events: slow down.', retryAfterMs: limit.retryAfterMs() },
            'limit',
          );
          if (verdict === 'disconnect') socket.disconnect(true);
          return refused;
        }
      }
      const parsed = timed(timings, 'validate', () => schema.safeParse(payload));
      if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(payload)', message: issue.message }));
        return refuse({ status: 400, code: 'invalid-payload', detail: `The ${event} payload is not valid.`, fields }, 'validate');
      }
      if (timings) timings.running = 'handler';
      const started = performance.now();
      try {
        const data = await handler(parsed.data, identity.principal);
        timings?.add('handler', performance.now() - started, started);
        return answer({ ok: true, data });
      } catch (error) {
        timings?.add('handler', performance.now() - started, started);
        return answer({ ok: false, error: problemOf(error, event) }, 'handler');
      }
    };

    socket.on(event, async (...args: unknown[]) => {
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (last as (answer: Ack<T>) => void) : () => {};
      const payload = typeof last === 'function' ? args.slice(0, -1)[0] : args[0];
      if (!events) {
        await handle(payload, ack);
        return;
      }
      // Development: the event is a request of its own on the hub page.
      const requestId = randomUUID();
      const timings = new Timings();
      const inspection = new Inspection(timings);
      const sent = await requestContext.run({ requestId, timings, inspection }, () => handle(payload, ack, timings));
      timings.finish();
      const status = sent.ok ? 200 : sent.error.status;
      // The hub draws a refusal as it draws a request's problem+json.
      const problem: Problem | undefined = sent.ok
        ? undefined
        : {
            type: 'about:blank',
            title: sent.error.code,
            status,
            detail: sent.error.detail,
            instance: event,
            requestId,
            ...(sent.error.fields ? { errors: sent.error.fields } : {}),
          };
      void inspection
        .settled()
        .then(() =>
          events.publish(
            requestEvent({ requestId, method: 'EVENT', path: event, status, timings, stages: timings.stages(), problem }, inspection),
          ),
        );
    });
  };
}

/** `check()`, timed as `stage` when the event is inspected. */
function timed<R>(timings: Timings | undefined, stage: Stage, check: () => R): R {
  if (!timings) return check();
  timings.running = stage;
  const started = performance.now();
  try {
    return check();
  } finally {
    timings.add(stage, performance.now() - started, started);
  }
}

// --- The request inspector's view of sockets (development only) ----------------------------------

/** The sockets whose events are published, each with its app's pipeline events. */
const inspectedSockets = new WeakMap<Socket, PipelineEvents>();
const inspectedAdapters = new WeakSet<object>();

/** Records what the server emits to the socket, and what its namespace broadcasts (once per adapter). */
function inspectSocket(socket: Socket, events: PipelineEvents): void {
  inspectedSockets.set(socket, events);
  const emit = socket.emit.bind(socket);
  socket.emit = ((name: string, ...args: unknown[]) => {
    inspectEmit(name, [socket.id], args);
    return emit(name, ...args);
  }) as Socket['emit'];
  const adapter = socket.nsp.adapter;
  if (inspectedAdapters.has(adapter)) return;
  inspectedAdapters.add(adapter);
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) => {
    const [name, ...args] = (packet as { data?: unknown[] }).data ?? [];
    if (typeof name === 'string') inspectEmit(name, [...options.rooms], args);
    broadcast(packet, options);
  };
}
