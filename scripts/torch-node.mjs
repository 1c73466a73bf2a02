#!/usr/bin/env node
// The `torch-node` command (package.json "bin"):
//   npx torch-node run --nproc 2 examples/ddp.mjs [args...]   one process per rank, as torchrun
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: torch-node run [--nproc N] [--master-port PORT] script.mjs [args...]';
const [command, ...rest] = process.argv.slice(2);
if (command === 'run') {
  // scripts/launch.mjs reads its arguments from process.argv.
  process.argv = [process.argv[0], path.join(path.dirname(fileURLToPath(import.meta.url)), 'launch.mjs'), ...rest];
  await import('./launch.mjs');
} else {
  console.error(command === undefined || command === '--help' ? USAGE : `torch-node: unknown command ${command}\n${USAGE}`);
  process.exit(command === undefined || command === '--help' ? 0 : 1);
}
