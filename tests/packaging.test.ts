// Packaging: the install step's prebuild-or-source decision (every branch), and the real
// thing: `npm pack`, then `npm install <tarball>` in an empty folder with no compiler and no
// cmake on PATH, then `require('torch-node').ones(2, 2).sum().item()`.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-ignore -- plain .mjs script without type declarations
import * as choice from '../scripts/build-choice.mjs';

const { chooseBuild, missingBuildTools, findPrebuild, linkLibtorch } = choice as {
  chooseBuild: (i: Record<string, unknown>) => { use?: string; why?: string; error?: string };
  missingBuildTools: (env: Record<string, string>) => string[];
  findPrebuild: (root: string, platform?: string, arch?: string) => string | null;
  linkLibtorch: (addonDir: string, libtorchRoot: string) => string;
};

const root = path.resolve(__dirname, '..');
const found = { root: '/opt/libtorch', version: '2.11.0' };
const prebuild = '/pkg/prebuilds/linux-x64/torch-node.node';

describe('install: prebuild or source build', () => {
  it('uses the prebuild for the pinned version', () => {
    expect(chooseBuild({ found, pinned: '2.11.0', prebuild, fromSource: false, missingTools: ['cmake'] }))
      .toEqual({ use: 'prebuild', why: 'prebuilt for libtorch 2.11.0' });
  });

  it('builds from source for another libtorch version, saying why', () => {
    const r = chooseBuild({ found: { ...found, version: '2.10.0' }, pinned: '2.11.0', prebuild, fromSource: false, missingTools: [] });
    expect(r).toEqual({ use: 'source', why: 'the prebuilt addon is for libtorch 2.11.0, but the libtorch found is 2.10.0 (/opt/libtorch)' });
  });

  it('says exactly why it cannot build: another version and no compiler', () => {
    const r = chooseBuild({ found: { ...found, version: '2.10.0' }, pinned: '2.11.0', prebuild, fromSource: false,
      missingTools: ['cmake', 'a C++17 compiler (c++, g++ or clang++)'] });
    expect(r.error).toBe('torch-node: cannot build the addon: the prebuilt addon is for libtorch 2.11.0, but the libtorch found is ' +
      '2.10.0 (/opt/libtorch), and a source build needs cmake and a C++17 compiler (c++, g++ or clang++), which are not on PATH. ' +
      'Install them, or point LIBTORCH at a libtorch 2.11.0 folder to use the prebuilt addon.');
  });

  it('builds from source when asked or when there is no prebuild', () => {
    expect(chooseBuild({ found, pinned: '2.11.0', prebuild, fromSource: true, missingTools: [] }))
      .toEqual({ use: 'source', why: 'a source build was asked for' });
    expect(chooseBuild({ found, pinned: '2.11.0', prebuild: null, fromSource: false, missingTools: ['cmake'] }).error)
      .toMatch(/no prebuilt addon for this platform, and a source build needs cmake, which is not on PATH/);
  });

  it('finds build tools on PATH only', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-bin-'));
    try {
      expect(missingBuildTools({ PATH: bin })).toEqual(['cmake', 'a C++17 compiler (c++, g++ or clang++)']);
      for (const name of ['cmake', 'g++']) fs.writeFileSync(path.join(bin, name), '', { mode: 0o755 });
      expect(missingBuildTools({ PATH: bin })).toEqual([]);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('finds the prebuild by platform and links libtorch next to it', () => {
    const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-pkg-'));
    try {
      expect(findPrebuild(pkg, 'linux', 'x64')).toBeNull();
      fs.mkdirSync(path.join(pkg, 'prebuilds/linux-x64'), { recursive: true });
      fs.writeFileSync(path.join(pkg, 'prebuilds/linux-x64/torch-node.node'), '');
      expect(findPrebuild(pkg, 'linux', 'x64')).toBe(path.join(pkg, 'prebuilds/linux-x64/torch-node.node'));
      expect(findPrebuild(pkg, 'darwin', 'arm64')).toBeNull();
      const link = linkLibtorch(path.join(pkg, 'prebuilds/linux-x64'), '/opt/libtorch');
      expect(fs.readlinkSync(link)).toBe('/opt/libtorch/lib');
      linkLibtorch(path.join(pkg, 'prebuilds/linux-x64'), '/opt/other');
      expect(fs.readlinkSync(link)).toBe('/opt/other/lib');
    } finally {
      fs.rmSync(pkg, { recursive: true, force: true });
    }
  });
});

// The built addon's libtorch (written by scripts/install.mjs) is the one the packed install uses.
const libtorchJson = path.join(root, 'build/libtorch.json');
const builtWith = fs.existsSync(libtorchJson) ? JSON.parse(fs.readFileSync(libtorchJson, 'utf8')) : null;
if (!builtWith) console.log('packed-install test skipped: build/libtorch.json is missing (run node scripts/install.mjs)');

describe.skipIf(!builtWith)('npm pack, then install in an empty folder without a compiler', () => {
  it('loads the prebuilt addon: ones(2, 2).sum().item() is 4', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-pack-'));
    try {
      const npmCli = process.env.npm_execpath ?? fs.realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
      const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
        execFileSync(process.execPath, [npmCli, ...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env, encoding: 'utf8' });
      // `npm pack` would run prepack (tsc, prebuildify) in this repo while other test files
      // load dist/ and build/: pack a staged copy instead, the package's files as npm lists
      // them plus the built addon as prebuildify would place it.
      const stage = path.join(work, 'stage');
      const [{ files }] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root));
      for (const { path: file } of files as { path: string }[]) {
        if (file.startsWith('prebuilds/')) continue;
        fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
        fs.copyFileSync(path.join(root, file), path.join(stage, file));
      }
      fs.mkdirSync(path.join(stage, 'prebuilds/linux-x64'), { recursive: true });
      fs.copyFileSync(path.join(root, 'build/Release/torch_node.node'), path.join(stage, 'prebuilds/linux-x64/torch-node.node'));
      const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', work], stage).trim().split('\n').pop()!;
      const listing = execFileSync('tar', ['tzf', path.join(work, tarball)], { encoding: 'utf8' });
      expect(listing).toContain('package/prebuilds/linux-x64/torch-node.node');
      expect(listing).toContain('package/dist/cjs/index.d.ts');
      expect(listing).toContain('package/dist/esm/index.mjs');

      // PATH: node and the basic tools only, provably without cmake or a C++ compiler.
      const bin = path.join(work, 'bin');
      fs.mkdirSync(bin);
      fs.symlinkSync(process.execPath, path.join(bin, 'node'));
      for (const tool of ['sh', 'tar', 'gzip']) {
        const where = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        if (where) fs.symlinkSync(where, path.join(bin, tool));
      }
      const env = { HOME: process.env.HOME, PATH: bin, LIBTORCH: builtWith.root, npm_config_cache: process.env.npm_config_cache };
      expect(missingBuildTools(env as Record<string, string>)).toHaveLength(2);

      const app = path.join(work, 'app');
      fs.mkdirSync(app);
      fs.writeFileSync(path.join(app, 'package.json'), '{"name": "app", "version": "1.0.0", "private": true}\n');
      const log = npm(['install', '--foreground-scripts', '--prefer-offline', path.join(work, tarball)], app, env as NodeJS.ProcessEnv);
      expect(log).toContain(`torch-node: libtorch ${builtWith.versionFull ?? builtWith.version} from LIBTORCH (${builtWith.root}), prebuilt addon`);

      const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: app, env: env as NodeJS.ProcessEnv, encoding: 'utf8' }).trim();
      expect(run(['-e', "console.log(require('torch-node').ones(2, 2).sum().item())"])).toBe('4');
      expect(run(['--input-type=module', '-e', "import * as torch from 'torch-node'; console.log(torch.tensor([[1, 2], [3, 4]]).matmul(torch.eye(2)).tolist())"]))
        .toBe('[ [ 1, 2 ], [ 3, 4 ] ]');
      // It loaded the prebuild through the libtorch link the install made, not a new build.
      const pkg = path.join(app, 'node_modules/torch-node');
      expect(fs.existsSync(path.join(pkg, 'build/Release/torch_node.node'))).toBe(false);
      expect(fs.readlinkSync(path.join(pkg, 'prebuilds/linux-x64/libtorch'))).toBe(path.join(builtWith.root, 'lib'));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('TORCH_NODE_DEVICE', () => {
  // @ts-ignore -- plain .mjs script without type declarations
  const load = () => import('../scripts/libtorch-version.mjs') as Promise<{ libtorchArchive: (v: string, env: Record<string, string>) => { url: string; name: string } }>;

  it('picks the CPU or the CUDA archive, and rejects other values', async () => {
    const { libtorchArchive } = await load();
    expect(libtorchArchive('2.11.0', {})).toEqual({
      url: 'https://download.pytorch.org/libtorch/cpu/libtorch-shared-with-deps-2.11.0%2Bcpu.zip', name: 'libtorch-2.11.0' });
    expect(libtorchArchive('2.11.0', { TORCH_NODE_DEVICE: 'cuda' })).toEqual({
      url: 'https://download.pytorch.org/libtorch/cu130/libtorch-shared-with-deps-2.11.0%2Bcu130.zip', name: 'libtorch-2.11.0+cu130' });
    expect(() => libtorchArchive('2.11.0', { TORCH_NODE_DEVICE: 'gpu' })).toThrow('TORCH_NODE_DEVICE must be cpu or cuda, got gpu');
  });

  const addon = path.join(root, 'build/Release/torch_node.node');
  it.skipIf(!fs.existsSync(addon))('cpu keeps libtorch_cuda out, saying so', () => {
    const out = execFileSync(process.execPath, ['-e', `const n = require(${JSON.stringify(addon)}); console.log(n.cudaIsAvailable(), n.cudaLoadError())`],
      { env: { ...process.env, TORCH_NODE_DEVICE: 'cpu' }, encoding: 'utf8' });
    expect(out.trim()).toBe('false TORCH_NODE_DEVICE=cpu');
  });
});
