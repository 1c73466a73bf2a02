// Images as PyTorch's summary.image writes them: converted to HWC with 3 or 4 channels,
// floats scaled by 255 (uint8 kept), clipped to [0, 255], encoded as PNG (with pngjs).
import type { Tensor } from '../../tensor';
import { float32, float64, uint8 } from '../../dtype';
import { cat, stack } from '../../generated/functions';
import type { ImageProto } from './proto';

/**
 * The order of an image tensor's dimensions: channels, height, width (PyTorch's dataformats),
 * and N for a batch (addImages), laid out as one grid.
 */
export type ImageFormat = 'CHW' | 'HWC' | 'HW' | 'NCHW' | 'NHWC';

interface PngWriter {
  PNG: { sync: { write(png: { width: number; height: number; data: Uint8Array }, options: { colorType: number; inputColorType: number }): Buffer } };
}

// Loaded on first use, as PyTorch loads PIL: only images need it.
function pngjs(): PngWriter {
  try {
    return require('pngjs') as PngWriter;
  } catch {
    throw new Error('addImage needs the pngjs package (npm install pngjs)');
  }
}

/**
 * PyTorch's tensorboard make_grid: a batch (NCHW, 1 or 3 channels) as one CHW image, up to
 * ncols images a row, the last row padded with black.
 */
function makeGrid(batch: Tensor, ncols = 8): Tensor {
  const images = batch.shape[1] === 1 ? cat([batch, batch, batch], 1) : batch;
  const [n, c, h, w] = images.shape;
  if (c !== 3) throw new Error(`expected 1 or 3 channels for a batch of images, got ${batch.shape[1]}`);
  if (n === 0) throw new Error('expected at least one image in the batch');
  const cols = Math.min(n, ncols);
  const rows = Math.ceil(n / cols);
  const padded = rows * cols > n ? cat([images, images.newZeros([rows * cols - n, c, h, w])]) : images;
  return padded.reshape(rows, cols, c, h, w).permute(2, 0, 3, 1, 4).reshape(c, rows * h, cols * w);
}

const FORMATS: Record<number, string> = { 2: 'HW', 3: 'HWC', 4: 'NCHW' };

/** PyTorch's convert_to_HWC: HWC order, a single channel or HW repeated to RGB, a batch as a grid. */
export function convertToHWC(image: Tensor, dataformats: string): Tensor {
  const format = dataformats.toUpperCase();
  const wanted = FORMATS[format.length] ?? '';
  if (!wanted || [...wanted].some((c) => !format.includes(c))) {
    throw new Error(`expected dataformats 'CHW', 'HWC', 'HW', 'NCHW' or 'NHWC' (the letters in any order), got '${dataformats}'`);
  }
  if (image.shape.length !== format.length) {
    throw new Error(`size of input tensor and input format are different. tensor shape: [${image.shape.join(', ')}], input_format: ${format}`);
  }
  if (format.length === 4) return makeGrid(image.permute([...wanted].map((c) => format.indexOf(c)))).permute(1, 2, 0);
  const hwc = image.permute([...wanted].map((c) => format.indexOf(c)));
  if (format.length === 2) return stack([hwc, hwc, hwc], 2);
  return hwc.shape[2] === 1 ? cat([hwc, hwc, hwc], 2) : hwc;
}

/**
 * PyTorch's make_sprite for the embedding projector: the thumbnails (NCHW, values in [0, 1])
 * in a grid of ceil(sqrt(N)) a row, padded with black to a square, as an RGB PNG.
 */
export function spritePng(labelImg: Tensor): Buffer {
  const cpu = labelImg.detach().to('cpu').to(float64); // numpy scales in float64
  const grid = makeGrid(cpu, Math.ceil(Math.sqrt(cpu.shape[0])));
  const [c, h, w] = grid.shape;
  if (h > w) throw new Error(`sprite thumbnails must not be taller than wide, got a ${h}x${w} grid`);
  const square = h < w ? cat([grid, grid.newZeros([c, w - h, w])], 1) : grid;
  const data = square.permute(1, 2, 0).mul(255).clip(0, 255).to(uint8).contiguous().toTypedArray() as Uint8Array;
  return pngjs().PNG.sync.write({ width: w, height: w, data }, { colorType: 2, inputColorType: 2 });
}

/** The Summary.Image for an image tensor: uint8 values as they are, others scaled from [0, 1]. */
export function makeImage(image: Tensor, dataformats: string = 'CHW'): ImageProto {
  const cpu = image.detach().to('cpu');
  const scale = cpu.dtype === uint8 ? 1 : 255;
  const hwc = convertToHWC(cpu, dataformats);
  const bytes = hwc.to(float32).mul(scale).clip(0, 255).to(uint8).contiguous();
  const [height, width, channels] = bytes.shape;
  if (channels !== 3 && channels !== 4) throw new Error(`expected 1, 3 or 4 channels for an image, got ${channels}`);
  const colorType = channels === 4 ? 6 : 2; // PNG's RGBA and RGB
  const data = bytes.toTypedArray() as Uint8Array;
  const png = pngjs().PNG.sync.write({ width, height, data }, { colorType, inputColorType: colorType });
  return { height, width, colorspace: channels, encodedImageString: png };
}
