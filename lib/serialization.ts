// torch.save / torch.load: Python's torch.save format, through libtorch's own pickler, so
// checkpoints move between PyTorch and torch-node. Saving writes a temporary file and renames
// it, so an interrupted save never destroys the previous checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import { native } from './native';
import type { Tensor } from './tensor';
import { toNative, fromNative } from './ivalue';
import type { DeviceLike } from './device';
import { expectString, fail } from './ops/validate';

/** Tensors, and plain objects / arrays of them, numbers, booleans, strings, null. */
export type Saveable = Tensor | number | boolean | bigint | string | null | Saveable[] | { [key: string]: Saveable };

/** The bytes torch.save would write for `value`. */
export function serialize(value: Saveable): Buffer {
  if (value === undefined) fail('torch.save', 'a value to save (tensors, numbers, strings, arrays, objects, null)', value);
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

/**
 * Writes `value` to `file` atomically: the bytes go to a temporary file in the same folder,
 * flushed to disk, then renamed over `file`. A save that fails (or a process killed while
 * saving) leaves the previous file whole; a failed save removes its temporary file, and the
 * next save removes those left by processes that were killed.
 */
export function save(value: Saveable, file: string): void {
  expectString('torch.save(value, file)', file);
  const bytes = serialize(value);
  const dir = path.dirname(file);
  removeStaleTemporaries(dir, path.basename(file));
  const temporary = path.join(dir, `${tempPrefix(path.basename(file))}${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(temporary, 'wx');
    try {
      // writeSync may write less than asked (a full disk, a signal): loop until all is written.
      for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw e;
  }
  syncFolder(dir);
}

const tempPrefix = (base: string) => `.${base}.`;

/** Temporary files of saves to `base` by processes that no longer run (killed mid-save). */
function removeStaleTemporaries(dir: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // the folder is missing: openSync below says so
  }
  const prefix = tempPrefix(base);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The rename itself reaches the disk only when the folder is flushed (POSIX; a no-op elsewhere). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open folders; there the rename is as durable as it gets.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function load(file: string, options: { mapLocation?: DeviceLike } = {}): unknown {
  // A number would be read as a file descriptor (fs.readFileSync(5)).
  expectString('torch.load(file)', file);
  return deserialize(fs.readFileSync(file), options);
}
