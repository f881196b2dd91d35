#!/usr/bin/env node
// A project's `pnpm dev`: launches the package in the current folder, like `pnpm dev --filter <it>` at the root.
import { launchFromPackageDir } from '../src/cli.ts';

await launchFromPackageDir(process.cwd());
