// A scripted socket client, for trying the events from a terminal (what Postman cannot do):
//   pnpm --filter level-05/realtime-chat client --email a@example.com --password '…' --room <id> --text hello
// It logs in over REST, connects with the token, joins the room (printing what it missed since
// --last-seen), sends --text if given, prints the latest history, and with --listen stays to
// print every message:new, typing and presence event until Ctrl-C.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';

export interface ClientOptions {
  url: string;
  email: string;
  password: string;
  room: string;
  text?: string | undefined;
  lastSeen?: string | undefined;
  listen?: boolean | undefined;
}

type Ack = { ok: true; data: Record<string, unknown> } | { ok: false; error: { status: number; code: string; detail: string } };

/** The arguments of the socket's next `event`. */
const until = (socket: Socket, event: string) => new Promise<unknown[]>((done) => socket.once(event, (...args: unknown[]) => done(args)));

/** What the session printed, line by line, and its socket (still open with `listen`). */
export async function runClient(options: ClientOptions, print: (line: string) => void = console.log): Promise<Socket> {
  const login = await fetch(`${options.url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: options.email, password: options.password }),
  });
  const session = (await login.json()) as { accessToken?: string; detail?: string };
  if (!login.ok || !session.accessToken) throw new Error(`login answered ${login.status}: ${session.detail ?? ''}`);

  const socket = io(options.url, { auth: { token: session.accessToken }, transports: ['websocket'] });
  const failed = until(socket, 'connect_error').then(([error]) =>
    Promise.reject(new Error(`connect_error ${JSON.stringify((error as { data?: unknown }).data)}`)),
  );
  await Promise.race([until(socket, 'connect'), failed]);
  const call = async (event: string, payload: unknown) => {
    const answer = (await socket.emitWithAck(event, payload)) as Ack;
    print(`${event} → ${JSON.stringify(answer)}`);
    return answer;
  };

  await call('room:join', { roomId: options.room, ...(options.lastSeen ? { lastSeenId: options.lastSeen } : {}) });
  if (options.text) await call('message:send', { roomId: options.room, clientId: randomUUID(), text: options.text });
  await call('history', { roomId: options.room, limit: 10 });
  if (options.listen) {
    for (const event of ['message:new', 'typing', 'presence', 'session:expired'])
      socket.on(event, (data: unknown) => print(`${event} ← ${JSON.stringify(data)}`));
  } else {
    socket.disconnect();
  }
  return socket;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.CHAT_URL ?? 'http://localhost:3503' },
      email: { type: 'string' },
      password: { type: 'string' },
      room: { type: 'string' },
      text: { type: 'string' },
      'last-seen': { type: 'string' },
      listen: { type: 'boolean', default: false },
    },
  });
  const { url, email, password, room } = values;
  if (!email || !password || !room) {
    console.error(
      'usage: pnpm --filter level-05/realtime-chat client --email E --password P --room ROOM_ID [--text T] [--last-seen ID] [--listen] [--url URL]',
    );
    process.exit(2);
  }
  await runClient({ url, email, password, room, text: values.text, lastSeen: values['last-seen'], listen: values.listen }).catch(
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
