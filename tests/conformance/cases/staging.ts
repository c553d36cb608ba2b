/**
 * Staging through the manager: uploads reach the GPU and read back exactly, adjacent writes merge, staging
 * memory is in the ledger and trims away, reads of destroyed sources or disposed managers reject typed,
 * bad calls are refused before anything is staged. The same bytes on every backend.
 */
import { BufferUsage, ReadbackCancelledError, TextureUsage, ValidationError } from '../../../src/index.ts';
import { deepEqual, equal, ok, rejects, throws } from '../assert.ts';
import type { AnyManager, ConformanceCase } from '../context.ts';

const COPY = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const TEX_COPY = TextureUsage.COPY_SRC | TextureUsage.COPY_DST | TextureUsage.TEXTURE_BINDING;

/** Bytes that differ per seed, so a read never matches by accident. */
function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 37 + seed * 101 + ((i >> 8) & 0xff)) & 0xff);
}

/** Waits until no staging chunk is held by the GPU (WebGPU returns chunks after mapAsync; WebGL2 at once). */
async function stagingSettled(manager: AnyManager): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { upload, readback } = manager.stagingStats();
    if (upload.inFlight === 0 && readback.inFlight === 0) return;
    await manager.idle();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`staging never settled: ${JSON.stringify(manager.stagingStats())}`);
}

export const stagingCases: readonly ConformanceCase[] = [
  {
    name: 'staging: an upload reads back byte for byte; a read sees earlier uploads without an explicit flush',
    async run(ctx) {
      const manager = ctx.createManager();
      const buf = manager.createBuffer({ label: 'data', size: 1024, usage: COPY | BufferUsage.VERTEX });
      const first = pattern(1024, 1);
      equal(manager.upload(buf, 0, first), undefined, 'staged at once');
      const second = pattern(64, 2);
      manager.upload(buf, 256, second);
      const expected = first.slice();
      expected.set(second, 256);
      deepEqual([...(await manager.read(buf))], [...expected], 'whole buffer');
      deepEqual([...(await manager.read(buf, 255, 3))], [...expected.slice(255, 258)], 'an unaligned part');
      manager.dispose();
    },
  },
  {
    name: 'staging: adjacent writes merge into one copy, issued by flush',
    async run(ctx) {
      const manager = ctx.createManager();
      const buf = manager.createBuffer({ label: 'uniforms', size: 4096, usage: COPY | BufferUsage.UNIFORM });
      const before = manager.stagingStats().upload.copiesRecorded;
      for (let i = 0; i < 64; i++) manager.upload(buf, i * 16, pattern(16, i));
      equal(manager.stagingStats().upload.pendingCopies, 1, 'one pending copy for 64 adjacent writes');
      manager.flush();
      const stats = manager.stagingStats().upload;
      equal(stats.pendingCopies, 0, 'nothing pending after flush');
      equal(stats.copiesRecorded - before, 1, 'one copy issued');
      const bytes = await manager.read(buf, 0, 1024);
      deepEqual([...bytes.slice(16 * 63, 16 * 64)], [...pattern(16, 63)], 'the last write landed');
      manager.dispose();
    },
  },
  {
    name: 'staging: texture uploads from padded rows read back as tight rows (rgba8unorm, r8unorm, a mip of a layer)',
    async run(ctx) {
      const manager = ctx.createManager();
      const rgba = manager.createTexture({
        label: 'rgba',
        size: [3, 3],
        format: 'rgba8unorm',
        usage: TEX_COPY,
      });
      const texels = pattern(16 * 3, 3); // 12 bytes of texels per 16-byte row
      manager.uploadTexture(rgba, texels, { bytesPerRow: 16 }, [3, 3]);
      const tight = new Uint8Array(36);
      for (let row = 0; row < 3; row++) tight.set(texels.subarray(row * 16, row * 16 + 12), row * 12);
      deepEqual([...(await manager.readTexture(rgba))], [...tight], 'rgba8unorm 3x3 = 36 tight bytes');

      const red = manager.createTexture({ label: 'red', size: [5, 2], format: 'r8unorm', usage: TEX_COPY });
      const reds = pattern(10, 4);
      manager.uploadTexture(red, reds, {}, [5, 2]);
      deepEqual([...(await manager.readTexture(red))], [...reds], 'r8unorm 5x2 (odd row bytes)');

      const layered = manager.createTexture({
        label: 'layered',
        size: [8, 8, 3],
        format: 'rgba8unorm',
        usage: TEX_COPY,
        mipLevelCount: 2,
      });
      const mip = pattern(4 * 4 * 4, 5);
      manager.uploadTexture(layered, mip, {}, [4, 4, 1], { mipLevel: 1, origin: [0, 0, 2] });
      const read = await manager.readTexture(layered, { mipLevel: 1, origin: [0, 0, 2], size: [4, 4, 1] });
      deepEqual([...read], [...mip], 'mip 1 of layer 2');
      manager.dispose();
    },
  },
  {
    name: 'staging: staging memory is in the ledger, and trimStaging frees what is idle',
    async run(ctx) {
      const manager = ctx.createManager({ staging: { keepBytes: 0 } });
      const buf = manager.createBuffer({ label: 'data', size: 4096, usage: COPY });
      manager.upload(buf, 0, pattern(4096, 6));
      await manager.read(buf);
      const stats = manager.stagingStats();
      const ledger = manager.stats().byKind.staging;
      const { hostBytes } = manager.stats();
      ok(stats.upload.bytes > 0 && stats.readback.bytes > 0, 'both pools hold chunks');
      equal(
        ledger.bytes + hostBytes,
        stats.upload.bytes + stats.readback.bytes,
        'the ledger counts exactly the staging bytes: GPU buffers as staging, CPU chunks as host memory',
      );
      if (manager.backendName === 'webgl2') {
        equal(hostBytes, stats.upload.bytes, "WebGL2's upload chunks are CPU memory: host bytes, not GPU");
      } else {
        equal(hostBytes, 0, 'WebGPU staging is GPU memory only');
      }
      await stagingSettled(manager);
      const freed = manager.trimStaging({ keepBytes: 0, idleMs: 0 });
      equal(freed, ledger.bytes + hostBytes, 'trim frees every idle byte');
      deepEqual(manager.stats().byKind.staging, { bytes: 0, count: 0 }, 'the ledger drops at once');
      equal(manager.stats().hostBytes, 0, 'host bytes drop at once too');
      manager.dispose();
    },
  },
  {
    name: 'staging: destroying the source of a pending read, or disposing, rejects it with ReadbackCancelledError',
    async run(ctx) {
      const manager = ctx.createManager();
      const buf = manager.createBuffer({ label: 'doomed', size: 256, usage: COPY });
      const other = manager.createBuffer({ label: 'other', size: 256, usage: COPY });
      manager.upload(other, 0, pattern(256, 7));
      const doomed = manager.read(buf);
      const survivor = manager.read(other);
      manager.destroy(buf);
      const error = await rejects(doomed, ReadbackCancelledError, /'doomed'.*its source was destroyed/);
      equal(error.reason, 'destroyed', 'reason');
      deepEqual([...(await survivor)], [...pattern(256, 7)], 'the other read is unaffected');
      const pending = manager.read(other);
      manager.dispose();
      equal(
        (await rejects(pending, ReadbackCancelledError)).reason,
        'disposed',
        'dispose rejects pending reads',
      );
      deepEqual(manager.stats().byKind.staging, { bytes: 0, count: 0 }, 'dispose frees every staging byte');
    },
  },
  {
    name: 'staging: bad uploads and reads throw ValidationError naming the field, and stage nothing',
    async run(ctx) {
      const manager = ctx.createManager();
      const vbo = manager.createBuffer({ label: 'no-copy', size: 64, usage: BufferUsage.VERTEX });
      const buf = manager.createBuffer({ label: 'copyable', size: 64, usage: COPY });
      const tex = manager.createTexture({
        label: 'tex',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: TEX_COPY,
      });
      const before = manager.stagingStats();
      const field = (fn: () => unknown) => throws(fn, ValidationError).field;
      equal(
        field(() => manager.upload(vbo, 0, new Uint8Array(4))),
        'usage',
        'upload needs COPY_DST',
      );
      equal(
        field(() => manager.upload(buf, 2, new Uint8Array(4))),
        'offset',
        'offset multiple of 4',
      );
      equal(
        field(() => manager.upload(buf, 0, new Uint8Array(6))),
        'data.byteLength',
        'length multiple of 4',
      );
      equal(
        field(() => manager.upload(buf, 60, new Uint8Array(8))),
        'offset + data.byteLength',
        'in range',
      );
      equal(
        field(() => manager.uploadTexture(tex, new Uint8Array(8), {}, [4, 4])),
        'data.byteLength',
        'enough data',
      );
      equal((await rejects(() => manager.read(vbo), ValidationError)).field, 'usage', 'read needs COPY_SRC');
      equal(
        (await rejects(() => manager.readTexture(tex, { mipLevel: 1 }), ValidationError)).field,
        'mipLevel',
        'mip level in range',
      );
      deepEqual(manager.stagingStats(), before, 'nothing staged');
      manager.dispose();
    },
  },
];
