#!/usr/bin/env node
// A project's `pnpm dev`: launches the package in the current folder, like `pnpm dev --filter <it>` at the root.
// The Node check comes first, before any .ts file is loaded (see @hub/engines/node-version).
import { requireSupportedNode } from '@hub/engines/node-version';

requireSupportedNode();
const { launchFromPackageDir } = await import('../src/cli.ts');
await launchFromPackageDir(process.cwd(), process.argv.slice(2));
