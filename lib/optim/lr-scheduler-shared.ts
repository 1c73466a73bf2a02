// What the schedulers of lr-scheduler.ts and lr-scheduler-extra.ts share: argument checks and
// the keyword form of required arguments.
import { Optimizer } from './optimizer';
import { camelName } from './names';

/** A parameter group as the schedulers see it (any optimizer's groups have lr). */
export type LrGroup = { lr: number; initialLr?: number; [key: string]: unknown };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOptimizer = Optimizer<any>;

export function checkOptions(name: string, options: object, known: string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${name}: expected an options object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const camel = camelName(key);
      throw new TypeError(`${name}: unknown option '${key}'${camel !== key && known.includes(camel) ? ` (did you mean '${camel}'?)` : ''}`);
    }
  }
}

/**
 * Python passes a required argument by keyword as often as by position (`StepLR(opt,
 * step_size=30, gamma=0.5)`): given an options object in its place, the argument is its `key`.
 */
export function byKeyword<T, O extends object>(given: T | (O & Record<string, unknown>), key: string, options: O): [T, O] {
  if (given === null || typeof given !== 'object' || Array.isArray(given) || Symbol.iterator in given) return [given as T, options];
  const { [key]: value, ...rest } = given as Record<string, unknown>;
  return [value as T, rest as O];
}

export function checkNumber(name: string, argument: string, value: unknown, usage: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name}: ${argument} must be a number (${usage}), got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** One value per group: a list (its length checked) or one value repeated. */
export function perGroup<T>(name: string, optimizer: AnyOptimizer, value: T | T[]): T[] {
  if (Array.isArray(value)) {
    if (value.length !== optimizer.paramGroups.length) {
      throw new Error(`${name} must have the same length as optimizer.paramGroups. ${name} has ${value.length} values, paramGroups has ${optimizer.paramGroups.length}.`);
    }
    return [...value];
  }
  return optimizer.paramGroups.map(() => value);
}
