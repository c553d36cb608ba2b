/**
 * Human-readable figures for the stats overlay. Binary units (KiB = 1024 bytes) because GPU allocations are
 * sized in powers of two, and three significant digits because a panel read at a glance needs no more.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Formats a byte count with binary units and three significant digits: `512 B`, `1.50 KiB`, `12.3 MiB`,
 * `256 GiB`. Bytes below 1 KiB are shown exactly. A value that would round up to 1024 of a unit moves to the
 * next unit (`1.00 MiB`, never `1024 KiB`). Negative counts keep their sign; non-finite input is shown as is.
 *
 * @example
 * formatBytes(1536)      // '1.50 KiB'
 * formatBytes(4_194_304) // '4.00 MiB'
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const sign = bytes < 0 ? '-' : '';
  const magnitude = Math.abs(bytes);
  if (magnitude < 1024) return `${sign}${Math.round(magnitude)} B`;
  let unit = 1;
  let value = magnitude / 1024;
  // Round first, then decide the unit: 1023.9 KiB rounds to "1024", which must read "1.00 MiB".
  while (unit < UNITS.length - 1 && Number(roundSignificant(value)) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${sign}${roundSignificant(value)} ${UNITS[unit]}`;
}

/**
 * Formats a live-resource count with thousands separators (`12,345`), fixed to `en-US` so the panel reads the
 * same on every machine and tests can compare text.
 *
 * @example
 * formatCount(1234) // '1,234'
 */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

/**
 * Formats a fraction as a percentage with no decimals below 10 000 %: `0.5` gives `50%`.
 *
 * @example
 * formatPercent(0.125) // '13%'
 */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${Math.round(fraction * 100)}%`;
}

/**
 * The exact byte figure for tooltips: `1,048,576 bytes`.
 *
 * @example
 * formatExactBytes(1048576) // '1,048,576 bytes'
 */
export function formatExactBytes(bytes: number): string {
  return `${COUNT_FORMAT.format(bytes)} bytes`;
}

/**
 * Formats a duration in milliseconds with three significant digits (whole milliseconds from 100 up):
 * `0.0168 ms`, `1.30 ms`, `16.7 ms`, `250 ms`. `undefined` or a non-finite value reads `–` (not measured).
 *
 * @example
 * formatMs(16.666) // '16.7 ms'
 * formatMs(undefined) // '–'
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  const magnitude = Math.abs(ms);
  // toPrecision turns exponential below 1e-6; timestamps are whole nanoseconds, so 1e-6 ms is the finest figure.
  const digits =
    magnitude >= 100
      ? ms.toFixed(0)
      : magnitude >= 1e-3 || magnitude === 0
        ? ms.toPrecision(3)
        : ms.toFixed(6);
  return `${digits} ms`;
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Three significant digits, as a string with trailing zeros kept (`1.50`, `12.3`, `256`). */
function roundSignificant(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) {
    const fixed = value.toFixed(1);
    return Number(fixed) >= 100 ? Number(fixed).toFixed(0) : fixed;
  }
  const fixed = value.toFixed(2);
  return Number(fixed) >= 10 ? Number(fixed).toFixed(1) : fixed;
}
