// The only file with side effects: read the config, connect, listen, attach socket.io, and close in order on shutdown.
import { connectMongo, createRedis, loadConfig, startServer, type PipelineEvents } from '@hub/core';
import { accountsOf, buildApp } from './app.ts';
import { attachChat } from './chat/chat.ts';
import { serviceConfig } from './config.ts';

const config = loadConfig(serviceConfig);
const db = await connectMongo(config.MONGO_URL, { timeoutMs: config.MONGO_TIMEOUT_MS });
const redis = createRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
const app = buildApp({ config, db, redis });
const running = await startServer({ app, config, onClose: [() => redis.quit(), () => db.close()] });
// In development the hub page shows each socket event beside the HTTP requests.
const events = app.locals.pipelineEvents as PipelineEvents | undefined;
const chat = attachChat(running.server, { config, redis, tokens: accountsOf(config).tokens, events });
// On a stop signal the server stops accepting, then the sockets are closed: a WebSocket never
// ends on its own, and the server waits for open connections (up to SHUTDOWN_TIMEOUT_MS).
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void chat.close());
