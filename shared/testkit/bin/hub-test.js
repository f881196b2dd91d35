#!/usr/bin/env node
// On a Node too old to run .ts files: one line saying which Node to get, not a stack trace.
import { requireSupportedNode } from '@hub/engines/node-version';

requireSupportedNode();

// Runs Jest in native ESM mode, the way every package's `test` script needs it, passing
// through any arguments (a file, -t "name", --watch).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const flags = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const { status, signal } = spawnSync(process.execPath, [...flags, jest, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(status ?? (signal ? 1 : 0));
