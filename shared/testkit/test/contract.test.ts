import { ApiRouter, createApp } from '@hub/core';
import type { Request, Response } from 'express';
import { describePipelineContract, testConfig } from '../src/index.ts';

// The contract suite itself, run against a minimal service built on the shared pipeline.
const echo = new ApiRouter('echo').post('/', { summary: 'Echo the body', responses: { 200: 'the body' } }, (req: Request, res: Response) => {
  res.json(req.body);
});
const app = createApp({ name: 'contract-fixture', version: '0.0.1', config: testConfig(), routes: [['/echo', echo]] });

describePipelineContract(() => app, {
  jsonRoute: { method: 'post', path: '/echo' },
  wrongMethod: { method: 'delete', path: '/echo', allow: 'POST' },
});
