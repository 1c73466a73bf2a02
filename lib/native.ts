// The one typed view of the raw addon: every native entry point, as TypeScript sees it.
import path from 'node:path';
import fs from 'node:fs';

/** An opaque native tensor handle (a Node-API external). */
export type Handle = { readonly __handle: unique symbol };

export interface NativeAddon {
  opHandle(name: string, overload: string): number;
  callOp(index: number, ...args: unknown[]): unknown;
  listSchemas(): string[];

  fromTypedArray(array: ArrayBufferView, shape: number[], dtype: number, share: boolean): Handle;
  toTypedArray(h: Handle): ArrayBufferView;
  dataView(h: Handle): ArrayBufferView;
  item(h: Handle): number | boolean;
  shape(h: Handle): number[];
  strides(h: Handle): number[];
  storageOffset(h: Handle): number;
  isContiguous(h: Handle, memoryFormat?: number): boolean;
  dtype(h: Handle): number;
  device(h: Handle): string;
  dispose(h: Handle): void;
  isDisposed(h: Handle): boolean;
  isSame(a: Handle, b: Handle): boolean;
  liveTensors(): number;
  releaseSharedBuffers(): void;
  /** The collector (lib/gc-pacing.ts): gc(major) runs V8's GC; paceInterval 0 turns pacing off. */
  setCollector(gc: ((major: boolean) => void) | null, paceInterval: number): void;
  outOfMemoryRetries(): number;

  isGradEnabled(): boolean;
  inferenceModeEnter(enabled: boolean): void;
  inferenceModeExit(): void;
  isInferenceModeEnabled(): boolean;
  setGradEnabled(enabled: boolean): void;
  backward(h: Handle, gradient: Handle | null, retainGraph: boolean | null, createGraph: boolean): void;
  grad(h: Handle): Handle | null;
  setGrad(h: Handle, grad: Handle | null): void;
  requiresGrad(h: Handle): boolean;
  setRequiresGrad(h: Handle, value: boolean): void;
  isLeaf(h: Handle): boolean;
  retainGrad(h: Handle): void;
  autocastState(deviceType: string): [boolean, number, boolean];
  setAutocast(deviceType: string, enabled: boolean, dtype: number, cacheEnabled: boolean): void;
  autocastNest(enter: boolean): number;
  retainsGrad(h: Handle): boolean;
  registerHook(h: Handle, hook: (grad: Handle) => Handle | undefined): number;
  removeHook(h: Handle, index: number): void;
  setPostAccumulateGradHook(h: Handle, fn: (tensor: Handle) => void): void;
  gradFnName(h: Handle): string | null;
  autogradGrad(outputs: Handle[], inputs: Handle[], gradOutputs: (Handle | null)[] | null,
    retainGraph: boolean | null, createGraph: boolean, allowUnused: boolean): (Handle | null)[];

  attachFunction(outputs: Handle[], inputs: Handle[], backward: (grads: (Handle | null)[]) => (Handle | null)[], name: string): void;
  generatorNew(seed?: number | bigint): unknown;
  generatorManualSeed(g: unknown, seed: number | bigint): void;
  generatorInitialSeed(g: unknown): bigint;
  jitLoad(path: string, device?: string): unknown;
  jitRun(module: unknown, method: string, args: unknown[]): unknown;
  jitRunAsync(module: unknown, method: string, args: unknown[]): Promise<unknown>;
  jitNamedParameters(module: unknown): [string, Handle][];
  jitNamedBuffers(module: unknown): [string, Handle][];
  jitTrain(module: unknown, mode: boolean): void;
  jitIsTraining(module: unknown): boolean;
  jitSave(module: unknown, path: string): void;
  jitSchema(module: unknown): string;
  // torch.jit.trace and work off the JS thread (jit-trace.cc, async-copy.cc)
  jitTrace(fn: (...inputs: unknown[]) => unknown, inputs: unknown[], strict: boolean,
    tree: { className: string; parameters: [string, Handle][]; buffers: [string, Handle][]; children: [string, unknown][] }): unknown;
  jitGraph(module: unknown, method: string): string;
  itemAsync(h: Handle): Promise<number | boolean>;
  copyAsync(h: Handle): Promise<[ArrayBuffer, number]>;
  pickleSave(value: unknown): Buffer;
  pickleLoad(bytes: Uint8Array): unknown;

  // AOTInductor packages (native/aoti.cc): a loaded .pt2 is an opaque handle.
  aotiLoad(path: string, modelName: string, runSingleThreaded: boolean, numRunners: number, deviceIndex: number): unknown;
  aotiRun(pkg: unknown, inputs: Handle[]): Handle[];
  aotiRunAsync(pkg: unknown, inputs: Handle[]): Promise<Handle[]>;
  aotiMetadata(pkg: unknown): Record<string, string>;
  aotiCallSpec(pkg: unknown): string[];
  aotiConstantFqns(pkg: unknown): string[];
  aotiLoadConstants(pkg: unknown, constants: Record<string, Handle>, checkFullUpdate: boolean, userManaged: boolean): void;
  aotiDispose(pkg: unknown): void;

  cudaIsAvailable(): boolean;
  cudaDeviceCount(): number;
  cudaLoadError(): string;
  cudaSynchronize(): void;
  manualSeed(seed: number | bigint): void;
  setDefaultDtype(code: number): void;
  getDefaultDtype(): number;
  getRngState(): Handle;
  setRngState(state: Handle): void;
  initialSeed(): bigint;
  setNumThreads(n: number): void;
  getNumThreads(): number;

  // libtorch's global settings (native/settings.cc)
  getNumInteropThreads(): number;
  setNumInteropThreads(n: number): void;
  setFlushDenormal(mode: boolean): boolean;
  getFloat32MatmulPrecision(): string;
  setFloat32MatmulPrecision(precision: string): void;
  deterministicAlgorithms(): [boolean, boolean];
  setDeterministicAlgorithms(enabled: boolean, warnOnly: boolean): void;
  anomalyMode(): [boolean, boolean];
  setAnomalyMode(enabled: boolean, checkNan: boolean): void;
  getWarnAlways(): boolean;
  setWarnAlways(b: boolean): void;
  initNumThreads(): void;
  clearAutocastCache(): void;
  vitalsEnabled(): boolean;
  readVitals(): string;
  setVital(vital: string, attribute: string, value: string): boolean;
  dataPtr(h: Handle): bigint;

  // torch.distributed (native/distributed.cc): c10d stores, process groups, collectives and
  // DistributedDataParallel's reducer; stores, groups and reducers are opaque handles.
  distTcpStore(host: string, port: number, isServer: boolean, worldSize: number | null, timeoutMs: number): unknown;
  distFileStore(path: string, worldSize: number, timeoutMs: number): unknown;
  distPrefixStore(prefix: string, store: unknown): unknown;
  distStoreSet(store: unknown, key: string, value: Uint8Array): void;
  distStoreGet(store: unknown, key: string): Buffer;
  distStoreAdd(store: unknown, key: string, amount: number): number;
  distNewGroup(store: unknown, backend: string, rank: number, worldSize: number, timeoutMs: number, groupName: string): unknown;
  distGlooAvailable(): boolean;
  distDestroyGroup(group: unknown): void;
  distAllReduce(group: unknown, tensors: Handle[], op: number): void;
  distBroadcast(group: unknown, tensors: Handle[], src: number): void;
  distAllGather(group: unknown, outputs: Handle[], input: Handle): void;
  distBarrier(group: unknown): void;
  distBroadcastCoalesced(group: unknown, tensors: Handle[], bufferBytes: number, src: number): void;
  distVerifyParams(group: unknown, params: Handle[]): void;
  ddpReducerNew(group: unknown, params: Handle[], names: string[], bucketCapBytes: number, firstBucketBytes: number,
    findUnusedParameters: boolean, gradientAsBucketView: boolean): unknown;
  ddpPrepareForForward(reducer: unknown): void;
  ddpPrepareForBackward(reducer: unknown, outputs: Handle[]): void;
  ddpRebuildBuckets(reducer: unknown): boolean;
  ddpReducerFree(reducer: unknown): void;
}

function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('torch-node: package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

function load(): NativeAddon {
  // Another build of the addon (a sanitizer build, a debug build) without touching build/.
  if (process.env.TORCH_NODE_ADDON) return require(path.resolve(process.env.TORCH_NODE_ADDON));
  const root = packageRoot();
  const local = path.join(root, 'build', 'Release', 'torch_node.node');
  if (fs.existsSync(local)) return require(local);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node-gyp-build')(root);
}

export const native: NativeAddon = load();

// TORCH_NODE_DEVICE=cuda promises CUDA: fail at load, with the reason, rather than later.
if (process.env.TORCH_NODE_DEVICE === 'cuda' && !native.cudaIsAvailable()) {
  throw new Error(`torch-node: TORCH_NODE_DEVICE=cuda, but CUDA is not available: ${native.cudaLoadError() || 'no CUDA device is visible'}`);
}
