export { freePort, type Engine } from './child.ts';
export { mongoJavaServerClasspath, startMongo, type MongoOptions } from './mongo.ts';
export { repoRoot, hubDir } from './paths.ts';
export { startRedis, type RedisOptions } from './redis.ts';
export { startMailCatcher, type CaughtMail, type MailCatcher } from './smtp.ts';
