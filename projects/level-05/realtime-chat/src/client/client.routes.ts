import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ApiRouter } from '@hub/core';
import type { Request, Response } from 'express';
import { z } from 'zod';

const require = createRequire(import.meta.url);
const page = (file: string) => readFileSync(new URL(`./public/${file}`, import.meta.url), 'utf8');
// The socket.io browser client from node_modules, the same version as the server: no CDN.
const socketIoClient = readFileSync(require.resolve('socket.io-client/dist/socket.io.js'), 'utf8');

const files: Record<string, { type: string; body: string }> = {
  '/': { type: 'html', body: page('index.html') },
  '/app.js': { type: 'js', body: page('app.js') },
  '/vendor/socket.io.js': { type: 'js', body: socketIoClient },
};

const serve = (path: string) => (_req: Request, res: Response) => {
  const file = files[path];
  if (file) res.type(file.type).send(file.body);
};

const Text = z.string().meta({ id: 'StaticFile', description: 'an HTML page or a script' });

/** The small browser client: a page, its script, and the socket.io client it loads. */
export function clientRoutes(): ApiRouter {
  return new ApiRouter('client')
    .get('/', { summary: 'The browser chat client', responses: { 200: Text } }, serve('/'))
    .get('/app.js', { summary: "The browser client's script", responses: { 200: Text } }, serve('/app.js'))
    .get(
      '/vendor/socket.io.js',
      { summary: 'The socket.io browser client, from node_modules', responses: { 200: Text } },
      serve('/vendor/socket.io.js'),
    );
}
