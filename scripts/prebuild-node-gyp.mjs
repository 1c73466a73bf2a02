#!/usr/bin/env node
// prebuildify builds through node-gyp only; PREBUILD_NODE_GYP names this script instead
// (`npm run prebuildify`). It takes node-gyp's `rebuild ...` arguments, builds the addon
// from source with cmake-js (scripts/install.mjs) against the pinned libtorch, and leaves
// build/Release/torch_node.node for prebuildify to copy into prebuilds/<platform>-<arch>/.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findLibtorch, LIBTORCH_VERSION } from './find-libtorch.mjs';

const [command] = process.argv.slice(2);
if (command !== 'rebuild') {
  console.error(`prebuild-node-gyp: only 'rebuild' is supported (got ${command ?? 'nothing'})`);
  process.exit(1);
}
// A prebuild serves every user of the pinned version, so it is built against that version only.
const found = await findLibtorch({ stderr: process.stderr, download: false });
if (found.version !== LIBTORCH_VERSION) {
  console.error(`prebuild-node-gyp: prebuilds are built against libtorch ${LIBTORCH_VERSION}, found ${found.version} (${found.root})`);
  process.exit(1);
}
const install = path.join(path.dirname(fileURLToPath(import.meta.url)), 'install.mjs');
const r = spawnSync(process.execPath, [install, '--build-from-source'], { stdio: 'inherit', env: { ...process.env, LIBTORCH: found.root } });
process.exit(r.status ?? 1);
