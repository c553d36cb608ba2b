import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatExactBytes,
  formatMs,
  formatPercent,
} from '../../src/overlay/format.ts';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [10 * KiB, '10.0 KiB'],
    [100 * KiB, '100 KiB'],
    [1023 * KiB, '1023 KiB'],
    [MiB, '1.00 MiB'],
    [4 * MiB, '4.00 MiB'],
    [12.34 * MiB, '12.3 MiB'],
    [GiB, '1.00 GiB'],
    [1.5 * GiB, '1.50 GiB'],
    [1024 * GiB, '1.00 TiB'],
  ])('%d bytes reads %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('moves to the next unit instead of showing 1024 of a unit after rounding', () => {
    expect(formatBytes(MiB - 1)).toBe('1.00 MiB'); // 1023.999 KiB rounds to 1024 KiB
    expect(formatBytes(GiB - 1)).toBe('1.00 GiB');
    expect(formatBytes(9.999 * KiB)).toBe('10.0 KiB'); // 9.999 rounds to 10.00: one decimal, not two
    expect(formatBytes(99.99 * KiB)).toBe('100 KiB');
  });

  it('keeps the sign of a negative figure and shows non-finite input as is', () => {
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
    expect(formatBytes(Number.NaN)).toBe('NaN B');
  });

  it('shows three significant digits at every magnitude', () => {
    for (let bytes = 1024; bytes < 2 ** 50; bytes = Math.floor(bytes * 1.37)) {
      const digits = formatBytes(bytes).split(' ')[0]!.replace('.', '');
      // 3 digits, or 4 for values 1000..1023 of a unit (no decimals there)
      expect(digits.length === 3 || (digits.length === 4 && digits.startsWith('10'))).toBe(true);
    }
  });
});

describe('formatCount / formatPercent / formatExactBytes', () => {
  it('formats counts with en-US separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
  it('formats fractions as whole percents', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.125)).toBe('13%');
    expect(formatPercent(1.5)).toBe('150%');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('—');
  });
  it('formats exact bytes for tooltips', () => {
    expect(formatExactBytes(1048576)).toBe('1,048,576 bytes');
  });
});

describe('formatMs', () => {
  it.each<[number | undefined, string]>([
    [0, '0.00 ms'],
    [0.016832, '0.0168 ms'],
    [0.7, '0.700 ms'],
    [1.3, '1.30 ms'],
    [16.666, '16.7 ms'],
    [99.96, '100 ms'], // rounds up to three digits: no "100.0"
    [150.4, '150 ms'],
    [12_345.6, '12346 ms'],
    [1e-6, '0.000001 ms'], // one nanosecond, the finest timestamp step: never exponential
    [undefined, '–'],
    [Number.NaN, '–'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%s ms reads %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
