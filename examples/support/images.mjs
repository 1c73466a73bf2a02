// Image grids as PNG files for the examples, like torchvision.utils.make_grid / save_image:
//   saveImageGrid('out/digits.png', images, { nrow: 8 });   // N x C x H x W or N x H x W in [0, 1]
// and a grid with a caption under each image (text drawn by resvg, as the charts are):
//   await saveCaptionedGrid('out/predictions.png', images, ['7', '2', ...], { colors: ['green', ...] });
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { Resvg } from '@resvg/resvg-js';
import * as torch from 'torch-node';

/** Images as N x C x H x W on the CPU (N x H x W gets one channel). */
function asBatch(images) {
  const t = images.detach().cpu();
  if (t.dim() === 3) return t.unsqueeze(1);
  if (t.dim() !== 4) throw new Error(`expected images as N x C x H x W or N x H x W, got shape [${t.size().join(', ')}]`);
  return t;
}

/**
 * torchvision's make_grid: the images side by side, `nrow` per row, `padding` pixels of
 * `padValue` around each; one-channel images become three (gray RGB). Returns 3 x H x W.
 */
export function makeGrid(images, { nrow = 8, padding = 2, padValue = 0 } = {}) {
  let batch = asBatch(images).float();
  if (batch.size(1) === 1) batch = batch.expand(-1, 3, -1, -1);
  const [n, c, h, w] = batch.size();
  if (n === 1) return batch.get(0);
  const columns = Math.min(nrow, n);
  const rows = Math.ceil(n / columns);
  const blanks = torch.full([rows * columns - n, c, h, w], padValue);
  // Pad each image on its top and left, lay the tiles out, then close the bottom and right edges.
  const tiles = torch.nn.functional.pad(torch.cat([batch, blanks]), [padding, 0, padding, 0], { value: padValue });
  const grid = tiles.reshape(rows, columns, c, h + padding, w + padding).permute(2, 0, 3, 1, 4)
    .reshape(c, rows * (h + padding), columns * (w + padding));
  return torch.nn.functional.pad(grid, [0, padding, 0, padding], { value: padValue });
}

/** A C x H x W image in [0, 1] (C = 1 or 3) as PNG bytes, rounded as save_image rounds. */
export function encodePng(image) {
  let rgb = image.detach().cpu().float();
  if (rgb.size(0) === 1) rgb = rgb.expand(3, -1, -1);
  const [, height, width] = rgb.size();
  const bytes = rgb.mul(255).add(0.5).clamp(0, 255).to(torch.uint8);
  const rgba = torch.cat([bytes, torch.full([1, height, width], 255, { dtype: torch.uint8 })]).permute(1, 2, 0).contiguous();
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.toTypedArray().buffer);
  return PNG.sync.write(png);
}

/** torchvision's save_image: writes the grid of `images` to `file` (its folder is created). */
export function saveImageGrid(file, images, options = {}) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, encodePng(makeGrid(images, options)));
  return file;
}

const escape = (s) => String(s).replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A grid with a caption under each image (e.g. its predicted label), images scaled by `scale`
 * without smoothing; `colors[i]` colours caption i; `cellWidth` leaves room for long captions.
 * Text needs a system font, as the charts do.
 */
export function saveCaptionedGrid(file, images, captions, { nrow = 8, scale = 3, colors = [], fontSize = 14, cellWidth = 0 } = {}) {
  const batch = asBatch(images);
  const [n, , h, w] = batch.size();
  const cellW = Math.max(w * scale + 8, cellWidth);
  const cellH = h * scale + fontSize + 12;
  const columns = Math.min(nrow, n);
  const rows = Math.ceil(n / columns);
  const cells = [];
  for (let i = 0; i < n; i++) {
    const x = (i % columns) * cellW + (cellW - w * scale) / 2;
    const y = Math.floor(i / columns) * cellH + 4;
    const href = `data:image/png;base64,${encodePng(batch.get(i)).toString('base64')}`;
    cells.push(`<image x="${x}" y="${y}" width="${w * scale}" height="${h * scale}" href="${href}" style="image-rendering:optimizeSpeed"/>`);
    cells.push(`<text x="${x + (w * scale) / 2}" y="${y + h * scale + fontSize + 2}" text-anchor="middle" font-size="${fontSize}" fill="${colors[i] ?? 'black'}">${escape(captions[i] ?? '')}</text>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${columns * cellW}" height="${rows * cellH}" font-family="DejaVu Sans, Liberation Sans, sans-serif">`
    + `<rect width="100%" height="100%" fill="white"/>${cells.join('')}</svg>`;
  const font = { loadSystemFonts: true, fontFiles: process.env.TORCH_NODE_CHART_FONT ? [process.env.TORCH_NODE_CHART_FONT] : [] };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, new Resvg(svg, { font }).render().asPng());
  return file;
}
