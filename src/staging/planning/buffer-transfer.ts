/**
 * Checks of buffer uploads and reads against the buffer's descriptor: pure, no GPU. They run before anything
 * is staged, so a bad call throws `ValidationError` and changes nothing.
 */
import { ValidationError } from '../../errors.ts';
import type { Handle } from '../../handles/handle.ts';
import type { NormalizedBufferDescriptor } from '../../resources/buffer.ts';
import { readMember, readSequence } from '../../resources/input.ts';
import { BufferUsage } from '../../resources/usage.ts';

/** GPU buffer copies move whole 4-byte words. */
export const COPY_BUFFER_ALIGNMENT = 4;

/**
 * Checks an upload of `byteLength` bytes at `offset`: COPY_DST usage, offset and length multiples of 4 (as
 * for `queue.writeBuffer`), within the buffer.
 *
 * @example
 * checkBufferUpload(desc, 256, 64); // ok for a 1 KiB COPY_DST buffer
 */
export function checkBufferUpload(
  desc: NormalizedBufferDescriptor,
  offset: number,
  byteLength: number,
): void {
  // Called once per upload (ten thousand times a frame in a busy engine): no closure, no allocation.
  if ((desc.usage & BufferUsage.COPY_DST) === 0) {
    failUpload(desc, 'usage', desc.usage, 'uploading into a buffer needs COPY_DST usage');
  }
  if (!(Number.isSafeInteger(offset) && offset >= 0 && offset % COPY_BUFFER_ALIGNMENT === 0)) {
    failUpload(desc, 'offset', offset, 'must be an integer >= 0 and a multiple of 4');
  }
  if (byteLength % COPY_BUFFER_ALIGNMENT !== 0) {
    failUpload(desc, 'data.byteLength', byteLength, 'must be a multiple of 4 (GPU copies move 4-byte words)');
  }
  if (offset + byteLength > desc.size) {
    failUpload(
      desc,
      'offset + data.byteLength',
      offset + byteLength,
      `must be <= the buffer size (${desc.size})`,
    );
  }
}

function failUpload(desc: NormalizedBufferDescriptor, field: string, value: unknown, rule: string): never {
  throw new ValidationError(desc.label, field, value, rule);
}

/** A buffer read widened to whole words: copy `[start, start + size)`, give back `skip..skip + length`. */
export interface BufferReadPlan {
  readonly start: number;
  readonly size: number;
  readonly skip: number;
  readonly length: number;
}

/**
 * Checks a read of `length` bytes at `offset` (default: to the end of the buffer) and widens it to 4-byte
 * words, which GPU copies require; the caller still gets exactly the bytes asked for. Needs COPY_SRC usage.
 *
 * @example
 * planBufferRead(desc, 2, 3) // { start: 0, size: 8, skip: 2, length: 3 }
 */
export function planBufferRead(
  desc: NormalizedBufferDescriptor,
  offset = 0,
  length?: number,
): BufferReadPlan {
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ValidationError(desc.label, field, value, rule);
  };
  if ((desc.usage & BufferUsage.COPY_SRC) === 0) {
    fail('usage', desc.usage, 'reading a buffer back needs COPY_SRC usage');
  }
  if (!(Number.isSafeInteger(offset) && offset >= 0 && offset <= desc.size)) {
    fail('offset', offset, `must be an integer in [0, ${desc.size}]`);
  }
  // Only a missing size means "to the end": null is a bad size, as WebIDL would not take it either.
  const size = length === undefined ? desc.size - offset : length;
  if (!(Number.isSafeInteger(size) && size >= 0 && offset + size <= desc.size)) {
    fail('size', size, `must be an integer >= 0 with offset + size <= the buffer size (${desc.size})`);
  }
  const start = offset - (offset % COPY_BUFFER_ALIGNMENT);
  const end = Math.ceil((offset + size) / COPY_BUFFER_ALIGNMENT) * COPY_BUFFER_ALIGNMENT;
  if (end > desc.size) {
    fail(
      'offset + size',
      offset + size,
      `reads copy whole 4-byte words, and the word containing the last byte ends at ${end}, past the ` +
        `buffer size (${desc.size})`,
    );
  }
  return { start, size: size === 0 ? 0 : end - start, skip: offset - start, length: size };
}

/** One read of `manager.readBuffers`: a buffer, and optionally the byte range (default: all of it). */
export interface BufferReadRequest {
  readonly buffer: Handle<'buffer'>;
  readonly offset?: number;
  readonly size?: number;
}

/** More reads than any frame issues in one call; a longer list is a bug (or an endless iterator). */
const MAX_BATCHED_READS = 4096;

/**
 * Reads the argument of `manager.readBuffers` (any JS value): a sequence of `{ buffer, offset?, size? }`,
 * each member read once. Ranges are checked later against each buffer (`planBufferRead`).
 *
 * @example
 * readBufferReads([{ buffer: a }, { buffer: b, offset: 256, size: 64 }]) // the same, as plain records
 */
export function readBufferReads(value: unknown): BufferReadRequest[] {
  const owner = 'readBuffers';
  const items = readSequence(value, owner, 'reads', MAX_BATCHED_READS);
  if (items === undefined) {
    throw new ValidationError(owner, 'reads', value, 'must be an array of { buffer, offset?, size? }');
  }
  return items.map((item, i) => {
    const field = `reads[${i}]`;
    if (typeof item !== 'object' || item === null) {
      throw new ValidationError(owner, field, item, 'must be a { buffer, offset?, size? } object');
    }
    const buffer = readMember(item, 'buffer', owner, `${field}.buffer`);
    if (typeof buffer !== 'number') {
      throw new ValidationError(owner, `${field}.buffer`, buffer, 'must be a buffer handle');
    }
    const offset = readMember(item, 'offset', owner, `${field}.offset`) as number | undefined;
    const size = readMember(item, 'size', owner, `${field}.size`) as number | undefined;
    return { buffer: buffer as Handle<'buffer'>, offset, size };
  });
}
