// torch.save / torch.load: Python's torch.save format, through libtorch's own pickler, so
// checkpoints move between PyTorch and torch-node. Saving writes a temporary file and renames
// it, so an interrupted save never destroys the previous checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import { native } from './native';
import type { Tensor } from './tensor';
import { toNative, fromNative } from './ivalue';
import type { DeviceLike } from './device';

/** Tensors, and plain objects / arrays of them, numbers, booleans, strings, null. */
export type Saveable = Tensor | number | boolean | bigint | string | null | Saveable[] | { [key: string]: Saveable };

/** The bytes torch.save would write for `value`. */
export function serialize(value: Saveable): Buffer {
  let converted: unknown;
  try {
    converted = toNative(value, new Set());
  } catch (e) {
    throw e instanceof TypeError ? new TypeError(`torch.save: ${e.message}`) : e;
  }
  return native.pickleSave(converted);
}

/** The value in torch.save bytes; `mapLocation` moves every tensor to that device. */
export function deserialize(bytes: Uint8Array, options: { mapLocation?: DeviceLike } = {}): unknown {
  const device = options.mapLocation;
  let value: unknown;
  try {
    value = native.pickleLoad(bytes);
  } catch (e) {
    // libtorch's unpickler reads a Python OrderedDict as None, then fails filling it.
    if (e instanceof Error && e.message.includes('Expected GenericDict but got None')) {
      throw new Error('torch.load: the file holds a Python OrderedDict (what model.state_dict() returns), which ' +
        "libtorch's unpickler cannot read; in Python, save dict(model.state_dict()) instead");
    }
    throw e;
  }
  return fromNative(value, device === undefined ? (t) => t : (t) => t.to(device));
}

export function save(value: Saveable, file: string): void {
  const bytes = serialize(value);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(temporary, 'w');
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw e;
  }
}

export function load(file: string, options: { mapLocation?: DeviceLike } = {}): unknown {
  return deserialize(fs.readFileSync(file), options);
}
