// What this service's tests share: the app with test settings, and the buffer it records into.
import { testConfig } from '@hub/testkit';
import type { Express } from 'express';
import { buildApp, type AppDeps } from '../src/app.ts';
import { serviceConfig } from '../src/config.ts';
import type { LogEntry } from '../src/logs/logs.schemas.ts';
import { RingBuffer } from '../src/logs/ring-buffer.ts';

/** The service's app with test settings and a buffer of LOGS_CAPACITY entries; override any dependency. */
export function testApp(overrides: Partial<AppDeps> = {}): Express {
  const config = overrides.config ?? testConfig(serviceConfig);
  return buildApp({ config, buffer: new RingBuffer<LogEntry>(config.LOGS_CAPACITY), ...overrides });
}

/** The app with these env values on top of the test settings, and the buffer it records into. */
export function testLogger(env: Record<string, string> = {}) {
  const config = testConfig(serviceConfig, env);
  const buffer = new RingBuffer<LogEntry>(config.LOGS_CAPACITY);
  return { app: testApp({ config, buffer }), buffer };
}
