import { ApiRouter, createApp, validate } from '@hub/core';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { describePipelineContract, testConfig } from '../src/index.ts';

// The contract suite itself, run against a minimal service built on the shared pipeline; the
// routes with a path parameter and a query give its percent-encoding fuzz something to send.
const echo = new ApiRouter('echo')
  .post('/', { summary: 'Echo the body', responses: { 200: 'the body' } }, (req: Request, res: Response) => {
    res.json(req.body);
  })
  .get(
    '/:word',
    { summary: 'Echo a word', responses: { 200: 'the word' } },
    validate({ params: z.object({ word: z.string().max(20) }), query: z.object({ times: z.string().optional() }) }),
    (req: Request, res: Response) => {
      res.json({ word: req.params.word, times: req.query.times });
    },
  );
const app = createApp({ name: 'contract-fixture', version: '0.0.1', config: testConfig(), routes: [['/echo', echo]] });

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/echo' },
  wrongMethod: { method: 'delete', path: '/echo', allow: 'POST' },
  ready: [],
});
