/**
 * The soak's plot, hand-rolled SVG (no browser, no chart library): small multiples of RSS, heap,
 * p99 and the WAL over time, the warm-up shaded, the goals drawn where they fit the scale.
 */
import type { Sample, Verdict } from './verdict.js';

export interface Series {
  label: string;
  color: string;
  points: Array<[number, number]>;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  series: Series[];
  /** A horizontal goal line, drawn when it is within twice the data's range. */
  limit?: { y: number; label: string };
}

const WIDTH = 900;
const PANEL_W = 430;
const PANEL_H = 230;
const HEADER = 64;
const GAP = 20;
const MARGIN = { left: 48, right: 12, top: 44, bottom: 28 };
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About `count` round tick values within [min, max] (1, 2 or 5 times a power of ten apart). */
export function ticks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, s) =>
      Math.abs((max - min) / s - count) < Math.abs((max - min) / best - count) ? s : best,
    );
  const values: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    values.push(Number(v.toPrecision(12)));
  return values;
}

const label = (value: number) =>
  Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : String(value);

function panelSvg(panel: Panel, x0: number, y0: number, endSeconds: number, warmup: number) {
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const ys = panel.series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  let lo = Math.min(0, ...ys);
  let hi = Math.max(...ys);
  const range = hi - lo || 1;
  if (panel.limit && panel.limit.y <= hi + range) hi = Math.max(hi, panel.limit.y);
  hi += range * 0.05;
  const yTicks = ticks(lo, hi, 5);
  hi = Math.max(hi, yTicks.at(-1)!);
  lo = Math.min(lo, yTicks[0]!);
  const sx = (t: number) => x0 + MARGIN.left + (t / endSeconds) * plotW;
  const sy = (y: number) => y0 + MARGIN.top + plotH - ((y - lo) / (hi - lo)) * plotH;
  const out: string[] = [];
  out.push(
    `<text x="${x0 + MARGIN.left}" y="${y0 + 16}" font-size="13" font-weight="600" fill="#222">${escapeXml(panel.title)}</text>`,
  );
  // The legend on its own line under the title: a swatch of each line, then its label.
  let legendX = x0 + MARGIN.left;
  for (const s of panel.series) {
    const y = y0 + 33;
    out.push(
      `<line x1="${legendX}" x2="${legendX + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${legendX + 23}" y="${y}" font-size="11" fill="#333">${escapeXml(s.label)}</text>`,
    );
    legendX += 23 + 6.3 * s.label.length + 16;
  }
  if (warmup > 0)
    out.push(
      `<rect x="${sx(0)}" y="${sy(hi)}" width="${sx(warmup) - sx(0)}" height="${plotH}" fill="#eee"/>`,
      `<text x="${sx(warmup / 2)}" y="${sy(lo) - 5}" font-size="10" text-anchor="middle" fill="#888">warm-up</text>`,
    );
  for (const v of yTicks) {
    out.push(
      `<line x1="${sx(0)}" x2="${sx(endSeconds)}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd" stroke-width="1"/>`,
      `<text x="${sx(0) - 6}" y="${sy(v) + 4}" font-size="11" text-anchor="end" fill="#555">${label(v)}</text>`,
    );
  }
  for (const minute of ticks(0, endSeconds / 60, 5)) {
    const x = sx(minute * 60);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${sy(lo)}" y2="${sy(lo) + 4}" stroke="#555"/>`,
      `<text x="${x}" y="${sy(lo) + 16}" font-size="11" text-anchor="middle" fill="#555">${label(minute)}</text>`,
    );
  }
  out.push(
    `<line x1="${sx(0)}" x2="${sx(endSeconds)}" y1="${sy(lo)}" y2="${sy(lo)}" stroke="#555"/>`,
  );
  if (panel.limit && panel.limit.y <= hi)
    out.push(
      `<line x1="${sx(0)}" x2="${sx(endSeconds)}" y1="${sy(panel.limit.y)}" y2="${sy(panel.limit.y)}" stroke="#c62828" stroke-width="1" stroke-dasharray="2 3"/>`,
      `<text x="${sx(endSeconds) - 2}" y="${sy(panel.limit.y) - 4}" font-size="10" text-anchor="end" fill="#c62828">${escapeXml(panel.limit.label)}</text>`,
    );
  for (const s of panel.series) {
    // A missed sample (NaN: the server did not answer its scrape) is bridged, not drawn.
    const points = s.points
      .filter(([, y]) => Number.isFinite(y))
      .map(([t, y]) => `${sx(t).toFixed(1)},${sy(y).toFixed(1)}`)
      .join(' ');
    out.push(
      `<polyline data-series="${escapeXml(s.label)}" points="${points}" fill="none" stroke="${s.color}" stroke-width="${s.dashed ? 1.5 : 2}"${s.dashed ? ' stroke-dasharray="6 4"' : ''} stroke-linejoin="round"/>`,
    );
  }
  return out.join('\n');
}

/** Panels in two columns under a title and a subtitle; the x axis is minutes. */
export function renderPanels(
  panels: Panel[],
  options: { title: string; subtitle: string; endSeconds: number; warmupSeconds: number },
): string {
  const rows = Math.ceil(panels.length / 2);
  const height = HEADER + rows * (PANEL_H + GAP) + 10;
  const body = panels.map((panel, i) =>
    panelSvg(
      panel,
      14 + (i % 2) * (PANEL_W + GAP),
      HEADER + Math.floor(i / 2) * (PANEL_H + GAP),
      options.endSeconds,
      options.warmupSeconds,
    ),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="14" y="24" font-size="16" font-weight="600" fill="#111">${escapeXml(options.title)}</text>`,
    `<text x="14" y="44" font-size="12" fill="#444">${escapeXml(options.subtitle)}</text>`,
    ...body,
    `<text x="${WIDTH - 14}" y="${height - 6}" font-size="11" text-anchor="end" fill="#555">minutes since the load started</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** The soak's panels from its samples and verdict: the four measured, and the machine's load. */
export function soakSvg(
  samples: Sample[],
  result: Verdict,
  options: { title: string; subtitle: string },
): string {
  const series = (key: keyof Sample) => samples.map((s): [number, number] => [s.t, s[key]]);
  const end = samples.at(-1)?.t ?? 1;
  const { trend } = result.p99;
  const from = result.warmupSeconds;
  const line = (t: number) => trend.intercept + (trend.perMinute * t) / 60;
  return renderPanels(
    [
      {
        title: 'Server RSS (MiB)',
        series: [{ label: 'RSS', color: '#1565c0', points: series('rssMiB') }],
        limit: {
          y: result.rss.afterWarmupMiB * 1.1,
          label: 'goal: +10% over RSS after warm-up',
        },
      },
      {
        title: 'V8 heap used (MiB)',
        series: [{ label: 'heap used', color: '#6a1b9a', points: series('heapUsedMiB') }],
      },
      {
        title: 'Latency p99 per 10 s (ms)',
        series: [
          { label: 'client p99', color: '#1565c0', points: series('p99Ms') },
          { label: 'event-loop p99', color: '#ef6c00', points: series('loopP99Ms') },
          {
            label: 'trend',
            color: '#111',
            dashed: true,
            points: [
              [from, line(from)],
              [end, line(end)],
            ],
          },
        ],
      },
      {
        title: 'WAL file (MiB; goal: under 64)',
        series: [{ label: 'WAL', color: '#2e7d32', points: series('walMiB') }],
        limit: { y: 64, label: 'goal: < 64 MiB' },
      },
      {
        title: 'Machine load average, 1 min (what else ran)',
        series: [{ label: 'load average', color: '#616161', points: series('loadAverage') }],
      },
    ],
    { ...options, endSeconds: end, warmupSeconds: result.warmupSeconds },
  );
}
