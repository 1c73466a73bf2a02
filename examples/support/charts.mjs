// Line charts as PNG files for the examples: a vega-lite spec, rendered to SVG by vega
// (headless, renderer 'none'), rasterized by resvg.
//   await lineChart('out/loss.png', { title: 'Loss', xLabel: 'epoch', yLabel: 'MSE',
//                                     series: [{ name: 'train', values: [0.9, 0.5, 0.3] }] });
// values are numbers (x is their index) or { x, y } points; dashed: true draws a series dashed.
// yScale: 'log' for loss curves.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';

// resvg draws text only with a font it can load: system fonts (DejaVu Sans on most Linux
// images; resvg falls back to any installed font when the named ones are missing), plus the
// file TORCH_NODE_CHART_FONT names (.ttf/.otf) for machines without fonts.
const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica, sans-serif';
const fontOptions = {
  loadSystemFonts: true,
  fontFiles: process.env.TORCH_NODE_CHART_FONT ? [process.env.TORCH_NODE_CHART_FONT] : [],
};
let fontChecked = false;

// Without any font the PNG is still written, but without labels: say so once.
function warnIfNoFont() {
  if (fontChecked) return;
  fontChecked = true;
  const probe = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15">Ag</text></svg>';
  if (!new Resvg(probe, { font: fontOptions }).innerBBox()) {
    console.warn('charts: no font found, so the PNGs have no text; install one (apt-get install fonts-dejavu-core) or set TORCH_NODE_CHART_FONT=/path/to/font.ttf');
  }
}

function points(values) {
  return values.map((v, i) => (typeof v === 'number' ? { x: i, y: v } : { x: v.x, y: v.y }));
}

/** Writes a PNG line chart of the series to file (its folder is created) and returns the path. */
export async function lineChart(file, { title, xLabel = 'x', yLabel = 'y', series, yScale = 'linear', width = 640, height = 360 }) {
  const data = series.flatMap((s) => points(s.values).filter((p) => Number.isFinite(p.y)).map((p) => ({ ...p, series: s.name })));
  const names = series.map((s) => s.name);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width,
    height,
    background: 'white',
    config: { font: FONT_FAMILY },
    data: { values: data },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xLabel, scale: { zero: false, nice: false } },
      y: { field: 'y', type: 'quantitative', title: yLabel, scale: yScale === 'log' ? { type: 'log', nice: false } : { zero: false } },
      // Keep the caller's series order in the legend and colours.
      color: { field: 'series', type: 'nominal', title: null, sort: names, legend: { labelLimit: 0 } },
      // The same field as color, so the legend shows colour and dash together.
      ...(series.some((s) => s.dashed) && {
        strokeDash: { field: 'series', type: 'nominal', sort: names, scale: { domain: names, range: series.map((s) => (s.dashed ? [6, 4] : [1, 0])) } },
      }),
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG(2); // scale factor 2: a sharper PNG
  view.finalize();
  warnIfNoFont();
  const png = new Resvg(svg, { font: fontOptions }).render().asPng();
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, png);
  return file;
}
