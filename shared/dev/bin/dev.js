#!/usr/bin/env node
// The root `pnpm dev`. Plain JavaScript, so a Node too old to run .ts files gets one line saying
// which Node to get; only then is the TypeScript CLI loaded.
import { requireSupportedNode } from '@hub/engines/node-version';

requireSupportedNode();
const { main } = await import('../src/cli.ts');
await main(process.argv.slice(2));
