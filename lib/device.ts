// Devices: 'cpu', 'cuda', 'cuda:1', or torch.device(...).
// c10's device types, in the order of its message for an unknown one.
const DEVICE_TYPES = ['cpu', 'cuda', 'ipu', 'xpu', 'mkldnn', 'opengl', 'opencl', 'ideep', 'hip', 've', 'fpga', 'maia', 'xla',
  'lazy', 'vulkan', 'mps', 'meta', 'hpu', 'mtia', 'privateuseone'];

export class Device {
  readonly type: string;
  readonly index: number | null;
  constructor(spec: string, index?: number) {
    if (typeof spec !== 'string') throw new TypeError(`expected a device like 'cpu' or 'cuda:0', got ${spec === null ? 'null' : typeof spec}`);
    const match = /^([a-z]+)(?::(\d+))?$/.exec(spec);
    if (!match) throw new Error(`expected a device like 'cpu' or 'cuda:0', got '${spec}'`);
    const [, type, idx] = match;
    if (!DEVICE_TYPES.includes(type)) {
      throw new Error(`Expected one of ${DEVICE_TYPES.join(', ')} device type at start of device string: ${spec}`);
    }
    if (index !== undefined) {
      if (idx !== undefined) throw new Error(`type (string) must not include an index because index was passed explicitly: ${spec}`);
      if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`Device index must be a non-negative integer, got ${index}`);
    }
    this.type = type;
    this.index = idx !== undefined ? Number(idx) : (index ?? null);
  }
  toString(): string { return this.index === null ? this.type : `${this.type}:${this.index}`; }
}

export type DeviceLike = string | Device;

let defaultDevice: Device | null = null;

/**
 * Python's `torch.set_default_device`: where factories (`zeros`, `rand`, `arange`, `tensor`,
 * ...) and so new modules' parameters are created when no device is given; `null` restores
 * the CPU. Like PyTorch's, it leaves `*Like`, `new*` and zero-copy `fromArray` alone.
 */
export function setDefaultDevice(device: DeviceLike | null): void {
  defaultDevice = device === null ? null : device instanceof Device ? device : new Device(device);
}

/** Python's `torch.get_default_device()`. */
export function getDefaultDevice(): Device {
  return defaultDevice ?? new Device('cpu');
}

/** The default device as the native side takes it, or null when none was set. @internal */
export function defaultDeviceString(): string | null {
  return defaultDevice === null ? null : defaultDevice.toString();
}

export function device(spec: string, index?: number): Device { return new Device(spec, index); }

export function deviceString(d: DeviceLike): string { return typeof d === 'string' ? d : d.toString(); }
