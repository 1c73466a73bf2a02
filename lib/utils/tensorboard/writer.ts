// torch.utils.tensorboard.SummaryWriter: logs scalars, images, histograms and text to event
// files that TensorBoard reads (`tensorboard --logdir runs`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tensor } from '../../tensor';
import { EventFileWriter } from './event-file-writer';
import { SessionStatus, type Summary } from './proto';
import { histogram, image, scalar, text, type ScalarLike, type ScalarOptions } from './summary';
import type { HistogramBins } from './histogram';
import type { ImageFormat } from './image';
import { hparams, type HParamValue } from './hparams';
import { projectorConfigText, writeEmbedding, type EmbeddingInfo, type EmbeddingMetadata, type EmbeddingOptions } from './embedding';

/** SummaryWriter's options, with PyTorch's defaults. */
export interface SummaryWriterOptions {
  /** Appended to the default log directory's name (ignored when a logDir is given). */
  comment?: string;
  /** Steps from this one on, left by a crashed run in the same logDir, are hidden by TensorBoard. */
  purgeStep?: number;
  /** Records kept in memory before an add writes them out (10). */
  maxQueue?: number;
  /** Seconds between periodic writes (120). */
  flushSecs?: number;
  /** Appended to every event file's name. */
  filenameSuffix?: string;
}

/** addHistogram's options: PyTorch's bins (default 'tensorflow'), walltime and max_bins. */
export interface HistogramOptions {
  bins?: HistogramBins;
  walltime?: number;
  maxBins?: number;
}

/** addImage's and addImages' options: PyTorch's walltime and dataformats (default 'CHW', for addImages 'NCHW'). */
export interface ImageOptions {
  walltime?: number;
  dataformats?: ImageFormat;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** PyTorch's default log directory: runs/<Mon><DD>_<HH>-<MM>-<SS>_<hostname><comment>. */
export function defaultLogDir(comment = '', now = new Date()): string {
  const time = `${MONTHS[now.getMonth()]}${two(now.getDate())}_${two(now.getHours())}-${two(now.getMinutes())}-${two(now.getSeconds())}`;
  return path.join('runs', `${time}_${os.hostname()}${comment}`);
}

/**
 * Writes TensorBoard event files, as PyTorch's SummaryWriter does.
 *
 * ```ts
 * using writer = new torch.utils.tensorboard.SummaryWriter('runs/exp1');
 * writer.addScalar('loss', 0.25, step);
 * ```
 */
export class SummaryWriter {
  /** The directory the main event file is in. */
  readonly logDir: string;
  private readonly options: SummaryWriterOptions;
  private purgeStep: number | undefined;
  private fileWriter: EventFileWriter | null = null;
  private mainFilePath = '';
  // The main writer and addScalars' writers, by log directory; null once closed.
  private allWriters: Map<string, EventFileWriter> | null = null;
  private embeddings: EmbeddingInfo[] = [];

  constructor(logDir?: string, options: SummaryWriterOptions = {}) {
    this.logDir = logDir || defaultLogDir(options.comment ?? '');
    this.options = options;
    this.purgeStep = options.purgeStep;
    this.getFileWriter();
  }

  /** The directory where event files are written (PyTorch's get_logdir). */
  getLogdir(): string {
    return this.logDir;
  }

  /** The main event file's path (after close(), the last one; adding again opens a new file). */
  get filePath(): string {
    return this.mainFilePath;
  }

  /** One scalar: PyTorch's add_scalar(tag, scalar_value, global_step, walltime, new_style, double_precision). */
  addScalar(tag: string, scalarValue: ScalarLike, globalStep?: number, walltime?: number, options: ScalarOptions = {}): void {
    this.write(this.getFileWriter(), scalar(tag, scalarValue, options), globalStep, walltime);
  }

  /**
   * Several scalars on one chart: each goes to its own run `logDir/<mainTag>_<tag>` under the
   * tag mainTag (slashes in mainTag become underscores in the directory name), as in PyTorch.
   */
  addScalars(mainTag: string, tagScalarDict: Record<string, ScalarLike>, globalStep?: number, walltime?: number): void {
    const logDir = this.getFileWriter().logDir;
    const writers = this.allWriters!;
    for (const [tag, value] of Object.entries(tagScalarDict)) {
      const runDir = `${logDir}/${mainTag.replaceAll('/', '_')}_${tag}`;
      let writer = writers.get(runDir);
      if (!writer) {
        writer = new EventFileWriter(runDir, this.options);
        writers.set(runDir, writer);
      }
      this.write(writer, scalar(mainTag, value), globalStep, walltime);
    }
  }

  /** A histogram of the values; the 4th argument is PyTorch's bins, or the options. */
  addHistogram(tag: string, values: Tensor, globalStep?: number, options: HistogramOptions | HistogramBins = {}): void {
    const { bins = 'tensorflow', walltime, maxBins } = isBins(options) ? { bins: options } : options;
    this.write(this.getFileWriter(), histogram(tag, values, bins, maxBins), globalStep, walltime);
  }

  /**
   * An image, as PNG. Floating-point values are taken as [0, 1] and scaled to [0, 255]; uint8
   * values are kept. The 4th argument is PyTorch's walltime, or the options.
   */
  addImage(tag: string, imgTensor: Tensor, globalStep?: number, options: ImageOptions | number = {}): void {
    const { walltime, dataformats = 'CHW' } = typeof options === 'number' ? { walltime: options } : options;
    this.write(this.getFileWriter(), image(tag, imgTensor, dataformats), globalStep, walltime);
  }

  /**
   * A batch of images (NCHW by default) as one grid image of up to 8 a row, as PyTorch's
   * add_images. The 4th argument is PyTorch's walltime, or the options.
   */
  addImages(tag: string, imgTensor: Tensor, globalStep?: number, options: ImageOptions | number = {}): void {
    const { walltime, dataformats = 'NCHW' } = typeof options === 'number' ? { walltime: options } : options;
    this.write(this.getFileWriter(), image(tag, imgTensor, dataformats), globalStep, walltime);
  }

  /**
   * Hyperparameters and their metrics for TensorBoard's HParams tab, as PyTorch's add_hparams:
   * written to their own run, `logDir/<runName>` (default: the time in seconds), with each
   * metric as a scalar there. `hparamDomainDiscrete` lists a hyperparameter's possible values.
   */
  addHparams(hparamDict: Record<string, HParamValue>, metricDict: Record<string, ScalarLike>,
    options: { hparamDomainDiscrete?: Record<string, (number | boolean | string)[]>; runName?: string; globalStep?: number } = {}): void {
    const summaries = hparams(hparamDict, metricDict, options.hparamDomainDiscrete);
    const run = new SummaryWriter(path.join(this.getFileWriter().logDir, options.runName || String(Date.now() / 1000)));
    try {
      for (const s of summaries) run.write(run.getFileWriter(), s, options.globalStep);
      for (const [tag, value] of Object.entries(metricDict)) run.addScalar(tag, value, options.globalStep);
    } finally {
      run.close();
    }
  }

  /**
   * Points for TensorBoard's projector (one row of `mat` each), with labels and thumbnails, as
   * PyTorch's add_embedding: `addEmbedding(features, { metadata: labels, labelImg: images })`,
   * or with the labels second, as Python code passes them. Each call adds to
   * `logDir/projector_config.pbtxt`; give each a different globalStep or tag.
   */
  addEmbedding(mat: Tensor, metadata?: EmbeddingMetadata | EmbeddingOptions, options: EmbeddingOptions = {}): void {
    const all = Array.isArray(metadata) ? { ...options, metadata } : { ...metadata, ...options };
    const logDir = this.getFileWriter().logDir;
    this.embeddings.push(writeEmbedding(logDir, mat, all));
    fs.writeFileSync(path.join(logDir, 'projector_config.pbtxt'), projectorConfigText(this.embeddings));
  }

  /** Text (Markdown) for TensorBoard's text tab, under the tag `<tag>/text_summary`. */
  addText(tag: string, textString: string, globalStep?: number, walltime?: number): void {
    this.write(this.getFileWriter(), text(tag, textString), globalStep, walltime);
  }

  /** Writes every queued record of every event file. */
  flush(): void {
    for (const writer of this.allWriters?.values() ?? []) writer.flush();
  }

  /** Writes what is queued and closes the files; adding again opens new files, as in PyTorch. */
  close(): void {
    if (!this.allWriters) return;
    const writers = [...this.allWriters.values()];
    this.fileWriter = this.allWriters = null;
    let failure: unknown;
    for (const writer of writers) {
      try {
        writer.close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  private getFileWriter(): EventFileWriter {
    if (this.fileWriter && this.allWriters) return this.fileWriter;
    const writer = new EventFileWriter(this.logDir, this.options);
    this.fileWriter = writer;
    this.mainFilePath = writer.filePath;
    this.allWriters = new Map([[writer.logDir, writer]]);
    if (this.purgeStep !== undefined) {
      const step = this.purgeStep;
      writer.addEvent({ wallTime: Date.now() / 1000, step, fileVersion: 'brain.Event:2' });
      writer.addEvent({ wallTime: Date.now() / 1000, step, sessionLog: { status: SessionStatus.START } });
      this.purgeStep = undefined;
    }
    return writer;
  }

  private write(writer: EventFileWriter, summary: Summary, globalStep?: number, walltime?: number): void {
    if (globalStep !== undefined && !Number.isInteger(globalStep)) throw new Error(`expected an integer for globalStep, got ${globalStep}`);
    writer.addEvent({ wallTime: walltime ?? Date.now() / 1000, step: globalStep, summary });
  }
}

function isBins(value: HistogramOptions | HistogramBins): value is HistogramBins {
  return typeof value === 'number' || typeof value === 'string' || Array.isArray(value);
}
