import { describe, expect, test } from '@jest/globals';
import type { Response } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { ApiRouter, buildOpenApi, clientBody, validate, type ValidRequest } from '../src/index.ts';
import { appWith } from './support.ts';

const NoteInput = clientBody(z.object({ title: z.string().min(1), pinned: z.boolean().default(false) }));
const schemas = { body: NoteInput };
const routes = new ApiRouter('notes').post(
  '/notes',
  { summary: 'Echo', responses: { 200: 'the parsed body' } },
  validate(schemas),
  (req: ValidRequest<typeof schemas>, res: Response) => {
    res.json(req.body);
  },
);
const app = appWith([['', routes]]);

describe('clientBody()', () => {
  test('drops owner, _id, createdAt and role, keeping the resource fields', async () => {
    const response = await request(app)
      .post('/notes')
      .send({ title: 'hi', owner: 'someone-else', _id: '64b7f0c2a1b2c3d4e5f60718', createdAt: '2000-01-01', role: 'admin', __v: 3 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ title: 'hi', pinned: false });
  });

  test('any other unknown field is a 400 naming it', async () => {
    const response = await request(app).post('/notes').send({ title: 'hi', colour: 'red' });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'colour' })]);
  });

  test.each([['owner'], ['role'], ['createdAt']])('refuses, when declared, a schema that names the server-set field %s itself', (field) => {
    expect(() => clientBody(z.object({ title: z.string(), [field]: z.string() }))).toThrow(
      `clientBody(): ${field} is a field the server sets`,
    );
  });

  test('the OpenAPI document describes the body', () => {
    const document = buildOpenApi({ title: 't', version: '1', description: '' }, [['', routes]]);

    expect(JSON.stringify(document.paths?.['/notes'])).toContain('title');
  });
});
