import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { JobRun } from '../../api/client';
import { usePreferences } from '../../app/preferences';
import { formatDuration } from '../../lib/format';

/** Short tick labels: `30 s`, `6.5 min`, `2 h`. */
const axisLabel = (seconds: number) =>
  seconds < 60
    ? `${seconds} s`
    : seconds < 3600
      ? `${+(seconds / 60).toFixed(1)} min`
      : `${+(seconds / 3600).toFixed(1)} h`;

const css = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

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
    const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
    const data: uPlot.AlignedData = [
      xs,
      timed.map((run) => (run.status === 'FAILED' ? null : seconds(run.durationMs))),
      timed.map((run) => (run.status === 'FAILED' ? seconds(run.durationMs) : null)),
      xs.map(() => seconds(p50)),
      xs.map(() => seconds(p95)),
    ];
    const text = css('--text-muted');
    const grid = css('--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const plot = new uPlot(
      {
        width: element.clientWidth || 600,
        height: 220,
        tzDate: (ts) =>
          timeZone === 'utc' ? uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : new Date(ts * 1000),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [axis, { ...axis, values: (_u, ticks) => ticks.map(axisLabel), size: 64 }],
        legend: { show: true },
        series: [
          {},
          {
            label: 'Duration',
            stroke: css('--accent'),
            width: 1,
            points: { show: true, size: 5, fill: css('--accent') },
            value: (_u, v) => (v === null ? '–' : formatDuration(v * 1000)),
          },
          {
            label: 'Failed',
            stroke: css('--failed'),
            width: 0,
            paths: () => null,
            points: { show: true, size: 8, fill: css('--failed') },
            value: (_u, v) => (v === null ? '–' : formatDuration(v * 1000)),
          },
          {
            label: 'p50',
            stroke: css('--success'),
            dash: [4, 4],
            width: 1,
            points: { show: false },
            value: (_u, v) => (v === null ? '–' : formatDuration(v * 1000)),
          },
          {
            label: 'p95',
            stroke: css('--running'),
            dash: [8, 4],
            width: 1,
            points: { show: false },
            value: (_u, v) => (v === null ? '–' : formatDuration(v * 1000)),
          },
        ],
      },
      data,
      element,
    );
    // Runs all at one instant (a new job's first run): an hour either side. uPlot pads a single
    // x value by 86,400 / `ms` units, which with times in seconds spans 2.7 years.
    if (xs.length > 0 && xs[0] === xs[xs.length - 1])
      plot.setScale('x', { min: xs[0]! - 3600, max: xs[0]! + 3600 });
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
