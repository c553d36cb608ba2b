/**
 * WebGL2 readbacks must not trip Chromium's performance warning "READ-usage buffer was written, then fenced,
 * but written again before being read back" in an upload+read loop (each such warning means the browser
 * threw away its shadow copy and the read stalled). Console messages of every type are captured through
 * puppeteer. A control reuses one READ buffer with raw GL the way a naive pool does (copy, fence, read back,
 * copy again) and must see the warning, so the capture really can see it.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();
const WARNING = /READ-usage buffer was written, then fenced, but written again before being read back/;

/** Every console message of the page from now on (all types: Chromium's GL warnings are 'warning'). */
function captureConsole(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const listener = (message: { type(): string; text(): string }) => {
    messages.push(`${message.type()}: ${message.text()}`);
  };
  harness.page.on('console', listener);
  return { messages, stop: () => harness.page.off('console', listener) };
}

/** Lets Chromium deliver console messages the page's GL work produced. */
async function settle(): Promise<void> {
  await harness.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
}

describe('WebGL2 readback warning', () => {
  it('control: raw GL that reuses one READ buffer (copy, fence, read back, copy again) does print it', async () => {
    const capture = captureConsole();
    await harness.page.evaluate(async () => {
      const gl = window.newGL();
      const source = gl.createBuffer();
      const target = gl.createBuffer();
      gl.bindBuffer(gl.COPY_READ_BUFFER, source);
      gl.bufferData(gl.COPY_READ_BUFFER, new Uint8Array(1024).fill(1), gl.DYNAMIC_DRAW);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
      gl.bufferData(gl.COPY_WRITE_BUFFER, 1024, gl.STREAM_READ);
      for (let i = 0; i < 3; i++) {
        gl.copyBufferSubData(gl.COPY_READ_BUFFER, gl.COPY_WRITE_BUFFER, 0, 0, 1024);
        const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0)!;
        gl.flush();
        for (let k = 0; k < 400; k++) {
          const status = gl.clientWaitSync(sync, 0, 0);
          if (status === gl.ALREADY_SIGNALED || status === gl.CONDITION_SATISFIED) break;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        gl.deleteSync(sync);
        gl.getBufferSubData(gl.COPY_WRITE_BUFFER, 0, new Uint8Array(1024));
      }
      gl.bindBuffer(gl.COPY_READ_BUFFER, null);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    });
    await settle();
    capture.stop();
    expect(capture.messages.filter((m) => WARNING.test(m)).length).toBeGreaterThan(0);
  });

  it('an upload+read loop through the manager prints no such warning (and reads every write back)', async () => {
    const capture = captureConsole();
    const r = await harness.page.evaluate(async () => {
      const { createResourceManager, BufferUsage, TextureUsage } = window.lib;
      const m = createResourceManager({ gl: window.newGL() });
      const buf = m.createBuffer({
        label: 'loop',
        size: 1024,
        usage: BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
      });
      const tex = m.createTexture({
        label: 'loop-tex',
        size: [8, 8],
        format: 'rgba8unorm',
        usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.TEXTURE_BINDING,
      });
      const wrong: string[] = [];
      for (let i = 0; i < 40; i++) {
        m.upload(buf, 0, new Uint8Array(1024).fill(i));
        m.uploadTexture(tex, new Uint8Array(256).fill(255 - i), {}, [8, 8]);
        const [bytes, texels] = await Promise.all([m.read(buf), m.readTexture(tex)]);
        if (bytes.some((b) => b !== i)) wrong.push(`buffer read ${i}`);
        if (texels.some((b) => b !== 255 - i)) wrong.push(`texture read ${i}`);
        // Reads in flight together as well: two reads of the same buffer, then a write.
        const a = m.read(buf, 0, 16);
        const b = m.read(buf, 512, 16);
        m.upload(buf, 0, new Uint8Array(16).fill(i + 1));
        const [ra, rb] = await Promise.all([a, b]);
        if (ra.some((x) => x !== i) || rb.some((x) => x !== i)) wrong.push(`paired reads ${i}`);
      }
      m.dispose();
      return { wrong };
    });
    await settle();
    capture.stop();
    expect(r.wrong).toEqual([]);
    expect(capture.messages.filter((m) => WARNING.test(m))).toEqual([]);
  });
});
