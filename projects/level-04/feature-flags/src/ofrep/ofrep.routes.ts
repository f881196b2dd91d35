import { createHash } from 'node:crypto';
import { ApiRouter, AppError, validate, type ValidRequest } from '@hub/core';
import type { Request, Response } from 'express';
import type { Environment } from '../flags/flags.schemas.ts';
import { evaluate, readContext, type Evaluation, type Failed } from '../flags/evaluate.ts';
import type { LiveFlags } from '../flags/live-flags.ts';
import {
  BulkEvaluation,
  BulkHeaders,
  EnvironmentHeader,
  EvaluationParams,
  EvaluationRequest,
  EvaluationSuccess,
  NoQuery,
} from './ofrep.schemas.ts';

const single = { params: EvaluationParams, headers: EnvironmentHeader, body: EvaluationRequest };
const bulk = { headers: BulkHeaders, body: EvaluationRequest };
const streaming = { query: NoQuery };

/**
 * OFREP at /ofrep/v1: evaluation reads this instance's live snapshot, never the database, and
 * needs no account (it answers values, not definitions). /events tells clients when to refetch.
 */
export function ofrepRoutes({ live }: { live: LiveFlags }): ApiRouter {
  return new ApiRouter('ofrep')
    .post(
      '/evaluate/flags/:key',
      {
        summary: 'Evaluate one flag for a context (OFREP); 404 FLAG_NOT_FOUND, 400 INVALID_CONTEXT',
        responses: { 200: EvaluationSuccess },
      },
      validate(single),
      evaluateOne,
    )
    .post(
      '/evaluate/flags',
      {
        summary: 'Evaluate every flag for a context (OFREP), with an ETag; 304 for If-None-Match',
        responses: { 200: BulkEvaluation, 304: 'Not modified' },
      },
      validate(bulk),
      evaluateAll,
    )
    .get(
      '/events',
      {
        summary: 'Server-sent events: one refetchEvaluation message per flag change, on any instance',
        responses: { 200: 'text/event-stream' },
      },
      validate(streaming),
      streamChanges,
    );

  function evaluateOne(req: ValidRequest<typeof single>, res: Response) {
    const environment = req.headers['x-environment'];
    const evaluation = evaluate(live.get(req.params.key), environment, req.body?.context, req.params.key);
    if (evaluation.reason === 'ERROR') throw failure(evaluation.errorCode === 'FLAG_NOT_FOUND' ? 404 : 400, evaluation);
    res.json(answerOf(evaluation, environment));
  }

  function evaluateAll(req: ValidRequest<typeof bulk>, res: Response) {
    const environment = req.headers['x-environment'];
    const read = readContext(req.body?.context);
    if ('invalid' in read) throw failure(400, { errorCode: 'INVALID_CONTEXT', errorDetails: read.invalid });
    const flags = live.all().map((flag) => answerOf(evaluate(flag, environment, read.context), environment));
    // A hash of the evaluations themselves: the same flags and the same context give the same tag on every instance.
    const etag = `"${createHash('sha1').update(JSON.stringify(flags)).digest('base64url')}"`;
    res.set('ETag', etag);
    if (noneMatch(req.headers['if-none-match'], etag)) return res.status(304).end();
    const refreshConnections = [{ type: 'sse' as const, url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}/events` }];
    res.json({ flags, refreshConnections } satisfies BulkEvaluation);
  }

  function streamChanges(req: Request, res: Response) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(`retry: 2000\n: connected at revision ${live.revision}\n\n`);
    const stop = live.onChange(({ key, version, revision, at }) => {
      const data = { type: 'refetchEvaluation', flag: key, version, lastModified: Math.floor(at.getTime() / 1000) };
      res.write(`id: ${revision}\nevent: message\ndata: ${JSON.stringify(data)}\n\n`);
    });
    // At shutdown the stream ends, and the client's EventSource reconnects to another instance.
    const cancel = live.onStop(() => res.end());
    req.on('close', () => {
      stop();
      cancel();
    });
  }
}

const answerOf = (evaluation: Evaluation, environment: Environment) =>
  evaluation.reason === 'ERROR'
    ? evaluation
    : {
        key: evaluation.key,
        reason: evaluation.reason,
        variant: evaluation.variant,
        value: evaluation.value,
        metadata: { flagVersion: evaluation.version, environment },
      };

/** Does If-None-Match name this tag (or *)? Weak and strong tags compare equal, as RFC 9110 says for If-None-Match. */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

/**
 * An OFREP failure as problem+json: the problem's fields, and OFREP's key, reason, errorCode
 * and errorDetails beside them (extension members), so an OFREP provider and a problem+json
 * client both read it.
 */
function failure(status: number, { errorCode, errorDetails, key }: Pick<Failed, 'errorCode' | 'errorDetails'> & { key?: string }) {
  const code = errorCode.toLowerCase().replaceAll('_', '-');
  return new AppError(status, code, errorDetails, { extensions: { ...(key ? { key } : {}), reason: 'ERROR', errorCode, errorDetails } });
}
