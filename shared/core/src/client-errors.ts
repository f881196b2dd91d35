import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Problem } from './errors.ts';

/** What Node's HTTP parser refused, as the status a client should see. */
function statusFor(error: NodeJS.ErrnoException): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

const DETAILS: Record<number, string> = {
  400: 'The request is not valid HTTP (request line, header syntax or framing).',
  408: 'The request did not arrive in time.',
  431: 'The request headers are larger than this server accepts.',
};

/**
 * Requests Node's HTTP parser refuses (headers too large, a malformed request line) never reach
 * Express, and Node answers them with an empty body. This answers them as problem+json like
 * every other error, then closes the connection: after a parse error the stream cannot be trusted.
 */
export function answerClientErrors(server: Server): Server {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The client went away, or a response is already under way: nothing can be said any more.
    if (
      error.code === 'ECONNRESET' ||
      !socket.writable ||
      (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
    ) {
      socket.destroy();
      return;
    }
    const status = statusFor(error);
    const requestId = randomUUID();
    const problem: Problem = {
      type: `urn:backend-hub:problem:${status === 431 ? 'headers-too-large' : status === 408 ? 'request-timeout' : 'malformed-request'}`,
      title: STATUS_CODES[status] ?? 'Bad Request',
      status,
      detail: DETAILS[status] ?? DETAILS[400] ?? '',
      instance: '/',
      requestId,
    };
    const body = JSON.stringify(problem);
    socket.end(
      [
        `HTTP/1.1 ${status} ${problem.title}`,
        'Content-Type: application/problem+json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-Request-Id: ${requestId}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
  return server;
}
