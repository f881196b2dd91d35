import { randomUUID } from 'node:crypto';
import { testConfig } from '@hub/testkit';
import { accountConfig } from '@hub/core';
import mongoose from 'mongoose';
import { createContactApp } from '../src/app.ts';

export const newApp = () => createContactApp({ config: testConfig(accountConfig), db: mongoose.connection });

const unique = () => randomUUID().slice(0, 8);

/** A valid POST /contacts body with unique name and email; override any field. */
export function aContact(overrides: Record<string, unknown> = {}) {
  const id = unique();
  return {
    name: `Ada ${id}`,
    email: `ada-${id}@example.com`,
    phones: [{ label: 'mobile', number: '+14155550123' }],
    company: 'Analytical Engines',
    tags: ['friends'],
    notes: 'met at the conference',
    ...overrides,
  };
}

export const uniqueEmail = () => `c-${unique()}@example.com`;
