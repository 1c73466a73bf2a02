// One event file: records queued in memory and appended with synchronous writes when the queue
// reaches maxQueue, every flushSecs, on flush() and on close(). Writers still open when the
// process exits are flushed then, so nothing queued is lost without a close().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeRecord } from './record';
import { encodeEvent, type Event } from './proto';

/** Queueing options, with PyTorch's defaults: 10 records, 120 seconds. */
export interface EventFileWriterOptions {
  /** Records kept in memory before an add writes them out. */
  maxQueue?: number;
  /** Seconds between periodic writes of the queue. */
  flushSecs?: number;
  /** Appended to the event file's name. */
  filenameSuffix?: string;
}

/** What the file's first event names as its writer (Event.source_metadata). */
export const SOURCE_WRITER = 'torch-node.utils.tensorboard';

// Like TensorBoard's _global_uid: the last part of the file name, counted per process.
let nextUid = 0;
const openWriters = new Set<EventFileWriter>();
let exitHookInstalled = false;

function closeAllOnExit(): void {
  for (const writer of openWriters) {
    try {
      writer.close();
    } catch {
      // Nothing can be reported while the process exits.
    }
  }
}

/** Writes Event records to events.out.tfevents.<time>.<host>.<pid>.<uid><suffix> in logDir. */
export class EventFileWriter {
  readonly logDir: string;
  readonly filePath: string;
  private readonly maxQueue: number;
  private fd: number | null;
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout;
  private timerError: unknown = undefined;

  constructor(logDir: string, options: EventFileWriterOptions = {}) {
    const { maxQueue = 10, flushSecs = 120, filenameSuffix = '' } = options;
    this.logDir = logDir;
    this.maxQueue = Math.max(1, maxQueue);
    fs.mkdirSync(logDir, { recursive: true });
    const seconds = String(Math.floor(Date.now() / 1000)).padStart(10, '0');
    const name = `events.out.tfevents.${seconds}.${os.hostname()}.${process.pid}.${nextUid++}${filenameSuffix}`;
    this.filePath = path.join(logDir, name);
    this.fd = fs.openSync(this.filePath, 'a');
    this.addEvent({ wallTime: Date.now() / 1000, fileVersion: 'brain.Event:2', sourceMetadata: { writer: SOURCE_WRITER } });
    this.flush();
    // unref: a pending periodic write never keeps the process alive.
    this.timer = setInterval(() => this.flushFromTimer(), flushSecs * 1000).unref();
    openWriters.add(this);
    if (!exitHookInstalled) {
      process.on('exit', closeAllOnExit);
      exitHookInstalled = true;
    }
  }

  /** Whether close() has run. */
  get closed(): boolean {
    return this.fd === null;
  }

  /** Queues one event; writes the queue out once it holds maxQueue records. */
  addEvent(event: Event): void {
    this.throwIfFailed();
    if (this.fd === null) throw new Error(`EventFileWriter for ${this.filePath} is closed`);
    this.queue.push(encodeRecord(encodeEvent(event)));
    if (this.queue.length >= this.maxQueue) this.writeQueue();
  }

  /** Appends every queued record to the file. */
  flush(): void {
    this.throwIfFailed();
    if (this.fd !== null) this.writeQueue();
  }

  /** Writes what is queued and closes the file; a second close does nothing. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.writeQueue(); // a failed periodic write left its records queued: this writes them
      this.timerError = undefined;
    } finally {
      clearInterval(this.timer);
      fs.closeSync(this.fd);
      this.fd = null;
      openWriters.delete(this);
    }
  }

  private writeQueue(): void {
    if (this.queue.length === 0 || this.fd === null) return;
    const data = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue);
    this.queue = [];
    let written = 0;
    try {
      while (written < data.length) written += fs.writeSync(this.fd, data, written);
    } catch (error) {
      this.queue = [data.subarray(written)]; // kept for the next try
      throw error;
    }
  }

  // A failed periodic write must not crash the process: it is reported by the next call.
  private flushFromTimer(): void {
    try {
      this.writeQueue();
    } catch (error) {
      this.timerError = error;
    }
  }

  private throwIfFailed(): void {
    const error = this.timerError;
    if (error === undefined) return;
    this.timerError = undefined;
    throw error;
  }
}
