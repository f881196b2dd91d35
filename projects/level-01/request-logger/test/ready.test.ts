import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { testLogger } from './support.ts';

describe('GET /ready', () => {
  test('answers 200 with no checks: this service depends on nothing', async () => {
    const { app } = testLogger();

    const response = await request(app).get('/ready');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: {} });
  });
});
