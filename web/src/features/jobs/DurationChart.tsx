import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { JobRun } from '../../api/client';
import { usePreferences } from '../../app/preferences';
import { formatDuration } from '../../lib/format';
import { durationScale, durationTick, timeRange } from './chart-scales';

/**
 * A colour custom property as canvas can draw it. The properties hold `light-dark()` pairs
 * (styles.css), which only a property's computed value resolves: a probe's `color` does.
 */
function cssColor(name: string, within: Element): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  within.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color && !color.startsWith('var(') ? color : '#888';
}

/**
 * Run durations over time (uPlot: small and fast), with the window's p50 and p95 as lines and the
 * failed runs marked in red. Loaded on the job page only, so the first page stays light.
 */
export default function DurationChart({
  runs,
  p50,
  p95,
}: {
  runs: JobRun[];
  p50: number | null;
  p95: number | null;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { theme, timeZone } = usePreferences();

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const timed = runs
      .filter((run) => run.durationMs !== null)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const xs = timed.map((run) => Date.parse(run.createdAt) / 1000);
    const durations = timed.map((run) => run.durationMs!);
    const y = durationScale([...durations, ...[p50, p95].filter((v) => v !== null)]);
    const inUnit = (ms: number | null) => (ms === null ? null : ms / y.perUnit);
    const data: uPlot.AlignedData = [
      xs,
      timed.map((run) => (run.status === 'FAILED' ? null : inUnit(run.durationMs))),
      timed.map((run) => (run.status === 'FAILED' ? inUnit(run.durationMs) : null)),
      xs.map(() => inUnit(p50)),
      xs.map(() => inUnit(p95)),
    ];
    const legend = (_u: uPlot, v: number | null) =>
      v === null ? '–' : formatDuration(Math.round(v * y.perUnit));
    const css = (name: string) => cssColor(name, element);
    const percentileLine = (label: string, color: string, dash: number[]): uPlot.Series => ({
      label,
      stroke: css(color),
      dash,
      width: 1,
      points: { show: false },
      value: legend,
    });
    const text = css('--text-muted');
    const grid = css('--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const plot = new uPlot(
      {
        width: element.clientWidth || 600,
        height: 220,
        tzDate: (ts) =>
          timeZone === 'utc' ? uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : new Date(ts * 1000),
        scales: { x: { time: true }, y: { range: () => [0, y.max] } },
        axes: [
          // Ticks at least 80 px apart: whole minutes over ten minutes, half days over a week.
          { ...axis, space: 80 },
          { ...axis, values: (_u, ticks) => ticks.map((t) => durationTick(t, y.unit)), size: 64 },
        ],
        legend: { show: true },
        series: [
          {},
          {
            label: 'Duration',
            stroke: css('--accent'),
            width: 1,
            points: { show: true, size: 5, fill: css('--accent') },
            value: legend,
          },
          {
            label: 'Failed',
            stroke: css('--failed'),
            width: 0,
            paths: () => null,
            points: { show: true, size: 8, fill: css('--failed') },
            value: legend,
          },
          percentileLine('p50', '--success', [4, 4]),
          percentileLine('p95', '--running', [8, 4]),
        ],
      },
      data,
      element,
    );
    // The time range from the runs (chart-scales.ts), set once the plot exists: uPlot's own fits
    // the runs edge to edge, and pads a single x value by 86,400 / `ms` units, which with times in
    // seconds spans 2.7 years.
    const x = timeRange(xs);
    if (x) plot.setScale('x', { min: x[0], max: x[1] });
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: element.clientWidth || 600, height: 220 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [runs, p50, p95, theme, timeZone]);

  const finished = runs.filter((run) => run.durationMs !== null).length;
  return (
    <figure className="chart">
      <div ref={box} role="img" aria-label={`Durations of the last ${finished} finished runs`} />
      {finished === 0 ? (
        <figcaption className="muted">No finished run to chart yet.</figcaption>
      ) : null}
    </figure>
  );
}
