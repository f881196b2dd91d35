import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readmeCommands, runCommands } from '../src/readme-check.ts';

// The check's two halves without a service: the README's commands as parsed, then run by bash
// against a tiny server that answers 200 on /ok, 401 on /secret without a token, 201 on POST.
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/secret') res.writeHead(req.headers.authorization === 'Bearer t0ken' ? 200 : 401).end('{"token":"t0ken"}');
    else if (req.url === '/ok')
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end('{"token":"t0ken"}');
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const readme = (...lines: string[]) => ['# A service', '', 'Try it:', '', '```bash', ...lines, '```', ''].join('\n');
const run = (markdown: string) => runCommands(readmeCommands(markdown), { cwd: tmpdir(), env: process.env });

describe('the commands of a README', () => {
  test('come from its curl blocks, continuation lines joined, without pnpm dev, pnpm test or comments, each with the status it promises', () => {
    const markdown = [
      '```bash',
      'pnpm dev --filter level-01/counter      # starts it',
      '# a comment',
      "curl -X POST localhost:3000/a -H 'content-type: application/json' \\",
      `  -d '{"tag": "#404"}'                  # 201`,
      'curl localhost:3000/b',
      '# → 401 unauthorized: no token',
      'curl localhost:3000/c                    # → 404, and a body',
      'pnpm --filter level-01/counter test      # the proofs',
      '```',
      '',
      '```bash',
      'pnpm --filter level-03/rbac promote ada@example.com admin',
      '```',
      '',
      '```ts',
      'curl("not shell")',
      '```',
    ].join('\n');

    expect(readmeCommands(markdown)).toEqual([
      {
        line: 4,
        text: `curl -X POST localhost:3000/a -H 'content-type: application/json' \\\n  -d '{"tag": "#404"}'                  # 201`,
        expectedStatus: 201,
      },
      { line: 6, text: 'curl localhost:3000/b', expectedStatus: 401 },
      { line: 8, text: 'curl localhost:3000/c                    # → 404, and a body', expectedStatus: 404 },
    ]);
  });
});

describe('running them as pasted', () => {
  test('passes when every curl answers what the README says, variables set by earlier commands', async () => {
    const outcome = await run(
      readme(
        `TOKEN=$(curl -s -X POST localhost:${port}/ok | node -p 'JSON.parse(require("fs").readFileSync(0)).token')`,
        `curl -s localhost:${port}/secret -H "authorization: Bearer $TOKEN"`,
        `curl -s localhost:${port}/secret   # 401 without the token`,
      ),
    );

    expect(outcome.failure).toBeUndefined();
  });

  test('fails at a variable the README never sets, naming its line', async () => {
    const outcome = await run(
      readme(`curl -s localhost:${port}/ok`, `curl -s localhost:${port}/secret -H "authorization: Bearer $ACCESS"`),
    );

    expect(outcome.failure).toMatchObject({ line: 7, command: `curl -s localhost:${port}/secret -H "authorization: Bearer $ACCESS"` });
    expect(outcome.output).toContain('ACCESS: unbound variable');
  });

  test('fails when a curl answers an error the README does not promise', async () => {
    const outcome = await run(readme(`curl -s localhost:${port}/secret`));

    expect(outcome.failure).toMatchObject({ line: 6, problem: 'answered 401 (the README promises no error)' });
  });

  test('fails when a curl answers another status than the one the README promises', async () => {
    const outcome = await run(readme(`curl -s localhost:${port}/ok`, '# → 401 refused'));

    expect(outcome.failure).toMatchObject({ line: 6, problem: 'answered 200 where the README says 401' });
  });

  test('fails when nothing listens where the README points, and stops there', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'readme-check-'));
    const commands = readmeCommands(readme('curl -s localhost:1/ok', `curl -s -X POST localhost:${port}/ok -o written`));
    const outcome = await runCommands(commands, { cwd, env: process.env });

    expect(outcome.failure).toMatchObject({ line: 6, problem: 'exited with 7' });
    expect(existsSync(join(cwd, 'written'))).toBe(false);
    rmSync(cwd, { recursive: true });
  });
});
