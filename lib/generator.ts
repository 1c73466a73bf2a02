// torch.Generator: a random number generator of its own, for ops' `generator` option
// (torch.randperm(n, { generator })) and DataLoader shuffling. CPU only.
import { native } from './native';

export class Generator {
  /** @internal the native handle */
  readonly _g: unknown;

  constructor(device: 'cpu' = 'cpu') {
    if (device !== 'cpu') throw new Error(`torch-node's Generator supports device 'cpu' only, got '${String(device)}'`);
    this._g = native.generatorNew();
  }

  manualSeed(seed: number | bigint): this {
    native.generatorManualSeed(this._g, seed);
    return this;
  }

  initialSeed(): bigint {
    return native.generatorInitialSeed(this._g);
  }
}
