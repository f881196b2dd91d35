import { describe, expect, test } from '@jest/globals';
import { testConfig } from '@hub/testkit';
import request from 'supertest';
import { createRequestLoggerApp } from '../src/app.ts';
import { requestLoggerConfig } from '../src/config.ts';

describe('GET /ready', () => {
  test('answers 200 with no checks: this service depends on nothing', async () => {
    const { app } = createRequestLoggerApp({ config: testConfig(requestLoggerConfig) });

    const response = await request(app).get('/ready');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: {} });
  });
});
