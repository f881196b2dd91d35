import type { Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { logger, notFound, type PipelineEvents, type Redis, type TokenService } from '@hub/core';
import { identityOf, realTimers, socketAuth, socketEvents, socketRateLimit, type SocketTimers } from '@hub/core/socket';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type Socket } from 'socket.io';
import type { ServiceConfig } from '../config.ts';
import { HistoryInput, JoinInput, MessageInput, RoomRef, TypingInput } from '../messages/messages.schemas.ts';
import { messagesAfter, readHistory, sendMessage } from '../messages/messages.service.ts';
import { membersOf, requireMember, roomIdsOf } from '../rooms/rooms.service.ts';
import { createPresence } from './presence.ts';

/**
 * The largest socket.io frame accepted, in bytes: a 4 KB message with its JSON envelope fits;
 * a bigger frame closes the connection before any handler parses it.
 */
export const MAX_FRAME_BYTES = 16 * 1024;

export interface ChatDeps {
  config: ServiceConfig;
  /** The adapter publishes on a duplicate of it and subscribes on another; presence keys live in it. */
  redis: Redis;
  tokens: TokenService;
  timers?: SocketTimers;
  /** The app's pipeline events (development): each socket event shows on the hub page like a request. */
  events?: PipelineEvents | undefined;
}

export interface Chat {
  io: Server;
  /** Disconnects every socket and closes the adapter's Redis connections; the HTTP server is left to its owner. */
  close(): Promise<void>;
}

const logged = (what: string) => (error: unknown) => logger.error(`chat: ${what} failed`, { error });

/**
 * socket.io on the service's HTTP server. Every event is declared with socketEvents(): the
 * token must be valid, the socket within its rate limit, the payload valid, else a typed
 * error ack. Messages go to a room's sockets on every instance through the Redis adapter.
 *
 * Client → server (each with an ack): room:join, room:leave, message:send, history, typing, presence.
 * Server → client: message:new, typing, presence, session:expired.
 */
export function attachChat(server: HttpServer, { config, redis, tokens, timers = realTimers, events }: ChatDeps): Chat {
  let closing: Promise<void> | undefined;
  const pub = redis.duplicate();
  const sub = redis.duplicate();
  const io = new Server(server, {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: config.CHAT_CHANNEL }),
  });
  const presence = createPresence({
    redis,
    prefix: config.CHAT_CHANNEL,
    graceMs: config.CHAT_PRESENCE_GRACE_MS,
    timers,
    announce: async (userId, online) => {
      // A stopping instance announces nothing: its adapter's connections are closing.
      if (closing) return;
      const rooms = await roomIdsOf(userId);
      if (rooms.length > 0) io.to(rooms).emit('presence', { userId, online });
    },
  });
  const limit = socketRateLimit({
    points: config.CHAT_RATE_POINTS,
    windowMs: config.CHAT_RATE_WINDOW_MS,
    maxStrikes: config.CHAT_RATE_MAX_STRIKES,
    timers,
  });

  io.use(socketAuth({ tokens, timers, events }));
  io.on('connection', (socket) => {
    const { principal } = identityOf(socket);
    // The disconnect waits for the connect's Redis writes, so a quick close never leaves a stale socket id.
    const joined = presence.connected(principal.id, socket.id).catch(logged('presence on connect'));
    socket.on(
      'disconnect',
      () => void joined.then(() => presence.disconnected(principal.id, socket.id)).catch(logged('presence on disconnect')),
    );
    chatEvents(socket, socketEvents(socket, { limit: limit(), timers }), { io, presence });
  });

  // WebSocket connections leave the HTTP server's hands when they upgrade: closeAllConnections()
  // never reaches them, and a peer that does not answer the close handshake holds them for 30 s.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (_request, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });

  return {
    io,
    // Once: a second stop signal, or a test's cleanup after a stop, waits for the same close.
    close: () =>
      (closing ??= (async () => {
        // Cut the connections first: each client sees "transport close" and reconnects, to
        // another instance behind the load balancer, instead of staying off ("io server disconnect").
        for (const socket of upgraded) socket.destroy();
        // Only this instance's sockets: io.disconnectSockets() would go through the adapter to every instance.
        io.local.disconnectSockets(true);
        presence.stop();
        io.of('/').adapter.close();
        await Promise.all([pub.quit(), sub.quit()]);
      })()),
  };
}

type On = ReturnType<typeof socketEvents>;

function chatEvents(socket: Socket, on: On, { io, presence }: { io: Server; presence: ReturnType<typeof createPresence> }): void {
  const mustHaveJoined = (roomId: string) => {
    if (!socket.rooms.has(roomId)) throw notFound(`Join room ${roomId} first (room:join).`);
  };

  // Joining is where a reconnecting client catches up: what was sent after its last seen id.
  on('room:join', JoinInput, async ({ roomId, lastSeenId }, principal) => {
    await requireMember(principal, roomId);
    await socket.join(roomId);
    const missed = lastSeenId ? await messagesAfter(principal, roomId, lastSeenId) : { items: [], complete: true };
    return { roomId, missed: missed.items, complete: missed.complete };
  });

  on('room:leave', RoomRef, async ({ roomId }) => {
    await socket.leave(roomId);
    return { roomId };
  });

  // Broadcast only when stored now: a retry of a send already stored acks the same message, silently.
  on('message:send', MessageInput, async (input, principal) => {
    const { message, created } = await sendMessage(principal, input);
    if (created) io.to(input.roomId).emit('message:new', message);
    return message;
  });

  on('history', HistoryInput, ({ roomId, ...page }, principal) => readHistory(principal, roomId, page));

  on('typing', TypingInput, ({ roomId, typing }, principal) => {
    mustHaveJoined(roomId);
    socket.to(roomId).emit('typing', { roomId, userId: principal.id, typing });
    return { roomId, typing };
  });

  on('presence', RoomRef, async ({ roomId }, principal) => ({ roomId, online: await presence.online(await membersOf(principal, roomId)) }));
}
