import { describe, expect, it } from 'vitest';
import { ReadbackCancelledError, ValidationError } from '../../src/errors.ts';
import { ChunkPool, type PoolChunk } from '../../src/staging/pooling/chunk-pool.ts';
import { type PendingRead, ReadQueue } from '../../src/staging/pooling/read-queue.ts';

interface Request {
  readonly source: string;
  readonly label: string;
  readonly bytes: number;
  readonly chunkless?: boolean;
}

type Read = PendingRead<Request, PoolChunk>;

/** A backend whose transfers finish when the test says so. */
class ManualReader extends ReadQueue<Request, PoolChunk> {
  readonly issued: Read[] = [];
  readonly cancelled: Read[] = [];

  /** The transfer of `read` came back with `data`, or failed with an Error. */
  land(read: Read, result: Uint8Array | Error): void {
    if (read.state === 'in-flight') {
      if (result instanceof Error) this.reject(read, result);
      else this.resolve(read, result);
    }
    this.complete(read.chunk);
  }

  protected override issue(read: Read): void {
    this.issued.push(read);
  }

  protected override usesChunk(request: Request): boolean {
    return request.chunkless !== true;
  }

  protected override cancelIssued(read: Read): void {
    this.cancelled.push(read);
  }
}

/** Readback chunks of 16 bytes minimum under a 32-byte cap. */
function setup() {
  const chunks = new ChunkPool<PoolChunk>({
    classes: { minBytes: 16, maxBytes: 32 },
    maxBytes: 32,
    host: { allocated: () => {}, freed: () => {} },
    now: () => 0,
    create: (size) => ({ size, idleSince: 0, alive: true }),
    destroy: () => {},
  });
  return { chunks, reader: new ManualReader(chunks) };
}

const request = (source: string, bytes = 16, chunkless = false): Request => ({
  source,
  label: source,
  bytes,
  chunkless,
});

describe('ReadQueue (backend-neutral readback bookkeeping)', () => {
  it('rejects a read whose chunk would not fit under the cap, before issuing anything', async () => {
    const { reader } = setup();
    const error = await reader.read(request('huge', 33)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ label: 'huge', field: 'read size', value: 33 });
    expect(String((error as Error).message)).toContain(
      'a read uses one readback buffer (64 bytes for this one), which must fit in maxReadbackBytes (32)',
    );
    expect(reader.issued).toHaveLength(0);
  });

  it('issues reads while chunks last, queues the rest in call order, and serves them as chunks return', async () => {
    const { reader } = setup();
    const first = reader.read(request('a'));
    const second = reader.read(request('b'));
    const third = reader.read(request('c'));
    const fourth = reader.read(request('d'));
    expect(reader.issued.map((r) => r.request.source)).toEqual(['a', 'b']);
    expect([reader.pending, reader.waiting]).toEqual([2, 2]);
    expect(reader.issued[0]!.state).toBe('in-flight');
    expect(reader.issued[0]!.chunk).toBeDefined();

    reader.land(reader.issued[1]!, new Uint8Array([2]));
    expect(reader.issued.map((r) => r.request.source)).toEqual(['a', 'b', 'c']); // c took b's chunk
    expect(reader.issued[2]!.chunk).toBe(reader.issued[1]!.chunk);
    expect([reader.pending, reader.waiting]).toEqual([2, 1]);
    await expect(second).resolves.toEqual(new Uint8Array([2]));

    reader.land(reader.issued[0]!, new Error('transfer failed'));
    await expect(first).rejects.toThrow('transfer failed');
    reader.land(reader.issued[2]!, new Uint8Array([3]));
    reader.land(reader.issued[3]!, new Uint8Array([4]));
    await expect(third).resolves.toEqual(new Uint8Array([3]));
    await expect(fourth).resolves.toEqual(new Uint8Array([4]));
    expect([reader.pending, reader.waiting]).toEqual([0, 0]);
  });

  it('issues a read that needs no chunk at once, ahead of the queue', () => {
    const { reader } = setup();
    void reader.read(request('a', 32));
    void reader.read(request('b'));
    void reader.read(request('index', 16, true));
    expect(reader.issued.map((r) => [r.request.source, r.chunk === undefined])).toEqual([
      ['a', false],
      ['index', true],
    ]);
    expect([reader.pending, reader.waiting]).toEqual([2, 1]);
  });

  it("forget rejects the source's queued and issued reads as 'destroyed' and leaves the others", async () => {
    const { reader } = setup();
    const issued = reader.read(request('doomed', 32));
    const queued = reader.read(request('doomed'));
    const other = reader.read(request('kept'));
    reader.forget('doomed');
    reader.forget('never-read'); // nothing to do
    for (const read of [issued, queued]) {
      const error = await read.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadbackCancelledError);
      expect(error).toMatchObject({ reason: 'destroyed', label: 'doomed' });
    }
    expect(reader.cancelled.map((r) => r.request.source)).toEqual(['doomed']); // only the issued one
    expect(reader.waiting).toBe(1); // 'kept' still waits for the chunk the cancelled read holds
    reader.land(reader.issued[0]!, new Uint8Array([9])); // the cancelled transfer comes back: not delivered
    expect(reader.issued.map((r) => r.request.source)).toEqual(['doomed', 'kept']);
    reader.land(reader.issued[1]!, new Uint8Array([1]));
    await expect(other).resolves.toEqual(new Uint8Array([1]));
  });

  it('a settled read is no longer cancelled by forget', async () => {
    const { reader } = setup();
    const done = reader.read(request('a'));
    reader.land(reader.issued[0]!, new Uint8Array([1]));
    reader.forget('a');
    expect(reader.cancelled).toHaveLength(0);
    await expect(done).resolves.toEqual(new Uint8Array([1]));
  });

  it('dispose rejects every pending read with its reason, starts nothing more, and refuses new reads', async () => {
    const { reader } = setup();
    const reads = [reader.read(request('a', 32)), reader.read(request('b'))];
    reader.dispose('device-lost');
    reader.dispose('disposed'); // idempotent: the first reason stands
    for (const read of reads) await expect(read).rejects.toMatchObject({ reason: 'device-lost' });
    expect(reader.waiting).toBe(0);
    reader.land(reader.issued[0]!, new Uint8Array([1]));
    expect(reader.issued).toHaveLength(1);
    expect(reader.pending).toBe(0);
    await expect(reader.read(request('late'))).rejects.toMatchObject({
      name: 'ReadbackCancelledError',
      reason: 'disposed',
    });
  });
});
