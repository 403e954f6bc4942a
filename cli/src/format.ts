/**
 * Human output: aligned tables, times and durations, and status colours only when stdout is a
 * terminal (never in a pipe or a file, never with NO_COLOR set).
 */

export interface Style {
  colour: boolean;
}

export const styleFor = (stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Style => ({
  colour: Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb',
});

const STATUS_COLOURS: Record<string, string> = {
  SUCCESS: '32', // green
  FAILED: '31', // red
  RUNNING: '36', // cyan
  PENDING: '33', // yellow
  CANCELLED: '90', // grey
};

export function status(value: string, style: Style): string {
  const code = STATUS_COLOURS[value];
  return style.colour && code ? `\x1b[${code}m${value}\x1b[0m` : value;
}

const ANSI_SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const visibleLength = (cell: string) => cell.replace(ANSI_SGR, '').length;

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => visibleLength(row[i] ?? ''))));
  return all
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell)),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A timestamp in local time, to the second: `2026-11-24 02:00:00`; `-` for none. */
export function time(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

/** How long ago: `just now`, `42s ago`, `5m ago`, `3h ago`, `2d ago`. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** A run's duration: `850ms`, `12.3s`, `3m 41s`, `2h 05m`, `1d 03h`; `-` for none. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad2(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d ${pad2(Math.floor(s / 3600) % 24)}h`;
}

/** The first line of a message, cut to `max` characters. */
export function oneLine(text: string | null | undefined, max = 60): string {
  if (!text) return '';
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Pretty JSON with a trailing newline, as scripts and `jq` expect. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
