// Embeddings for TensorBoard's projector, as PyTorch's add_embedding writes them: under
// <logDir>/<step, 5 digits>/<tag>/ the points (tensors.tsv), their labels (metadata.tsv) and
// thumbnails (sprite.png), and one projector_config.pbtxt in <logDir> listing every embedding.
import fs from 'node:fs';
import path from 'node:path';
import type { Tensor } from '../../tensor';
import { pyFloat } from '../../nn/repr';
import { spritePng } from './image';

/** One label per point, or with metadataHeader one row of columns per point. */
export type EmbeddingMetadata = (string | number | boolean)[] | (string | number | boolean)[][];

/** addEmbedding's options, PyTorch's keyword arguments. */
export interface EmbeddingOptions {
  metadata?: EmbeddingMetadata;
  /** Thumbnails, NCHW with 1 or 3 channels and values in [0, 1]: one per point. */
  labelImg?: Tensor;
  globalStep?: number;
  tag?: string;
  /** Column names when each metadata entry is a row. */
  metadataHeader?: string[];
}

/** One projector_config.pbtxt `embeddings` entry, in the protobuf text format PyTorch writes. */
export interface EmbeddingInfo {
  tensorName: string;
  tensorPath: string;
  metadataPath?: string;
  sprite?: { imagePath: string; singleImageDim: [number, number] };
}

// Python's str() of a value read from a tensor or given as a label.
const pyStr = (x: unknown): string => (typeof x === 'number' && !Number.isInteger(x) ? pyFloat(x) : typeof x === 'boolean' ? (x ? 'True' : 'False') : String(x));
// PyTorch's _encode: a tag becomes one directory name.
const encodeTag = (tag: string) => tag.replaceAll('%', '%25').replaceAll('/', '%2f').replaceAll('\\', '%5c');
const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;

/** The projector config as protobuf's text_format prints it (fields in field-number order). */
export function projectorConfigText(embeddings: EmbeddingInfo[]): string {
  return embeddings.map((e) => [
    'embeddings {',
    `  tensor_name: ${quote(e.tensorName)}`,
    ...(e.metadataPath ? [`  metadata_path: ${quote(e.metadataPath)}`] : []),
    ...(e.sprite ? ['  sprite {', `    image_path: ${quote(e.sprite.imagePath)}`,
      ...e.sprite.singleImageDim.map((d) => `    single_image_dim: ${d}`), '  }'] : []),
    `  tensor_path: ${quote(e.tensorPath)}`,
    '}',
  ].join('\n') + '\n').join('');
}

/** Writes one embedding's files under logDir and returns its config entry. */
export function writeEmbedding(logDir: string, mat: Tensor, options: EmbeddingOptions): EmbeddingInfo {
  const { metadata, labelImg, globalStep = 0, tag = 'default', metadataHeader } = options;
  if (mat.dim() !== 2) throw new Error('mat should be 2D, where mat.size(0) is the number of data points');
  const points = mat.shape[0];
  if (metadata && metadata.length !== points) throw new Error('#labels should equal with #data points');
  if (labelImg && labelImg.shape[0] !== points) throw new Error('#images should equal with #data points');
  if (labelImg && labelImg.dim() !== 4) throw new Error(`label_img should be NCHW, got shape [${labelImg.shape.join(', ')}]`);

  const subdir = `${String(globalStep).padStart(5, '0')}/${encodeTag(tag)}`;
  const dir = path.join(logDir, subdir);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new Error(`Path: \`${dir}\` exists, but is a file. Cannot proceed.`);
  fs.mkdirSync(dir, { recursive: true });
  const info: EmbeddingInfo = { tensorName: `${tag}:${String(globalStep).padStart(5, '0')}`, tensorPath: `${subdir}/tensors.tsv` };
  if (metadata) {
    let lines: string[];
    if (metadataHeader) {
      const rows = metadata as (string | number | boolean)[][];
      if (metadataHeader.length !== rows[0]?.length) throw new Error('len of header must be equal to the number of columns in metadata');
      lines = [metadataHeader, ...rows].map((row) => row.map(pyStr).join('\t'));
    } else lines = metadata.map(pyStr);
    fs.writeFileSync(path.join(dir, 'metadata.tsv'), lines.join('\n') + '\n');
    info.metadataPath = `${subdir}/metadata.tsv`;
  }
  if (labelImg) {
    fs.writeFileSync(path.join(dir, 'sprite.png'), spritePng(labelImg));
    info.sprite = { imagePath: `${subdir}/sprite.png`, singleImageDim: [labelImg.shape[3], labelImg.shape[2]] };
  }
  const format = mat.isFloatingPoint() ? (x: unknown) => pyFloat(x as number) : pyStr; // Python's str(t.item())
  const rows = (mat.tolist() as unknown[][]).map((row) => row.map(format).join('\t') + '\n');
  fs.writeFileSync(path.join(dir, 'tensors.tsv'), rows.join(''));
  return info;
}
