// Devices: 'cpu', 'cuda', 'cuda:1', or torch.device(...).
export class Device {
  readonly type: string;
  readonly index: number | null;
  constructor(spec: string, index?: number) {
    const [type, idx] = spec.split(':');
    if (!/^[a-z]+$/.test(type)) throw new Error(`expected a device like 'cpu' or 'cuda:0', got '${spec}'`);
    this.type = type;
    this.index = idx !== undefined ? Number(idx) : (index ?? null);
  }
  toString(): string { return this.index === null ? this.type : `${this.type}:${this.index}`; }
}

export type DeviceLike = string | Device;

export function device(spec: string, index?: number): Device { return new Device(spec, index); }

export function deviceString(d: DeviceLike): string { return typeof d === 'string' ? d : d.toString(); }
