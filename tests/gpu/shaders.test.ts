import { describe, expect, it } from 'vitest';
import { createResourceManager, ShaderCompileError, StaleHandleError } from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

const GOOD = /* wgsl */ `
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  return vec4f(f32(i), 0.0, 0.0, 1.0);
}
`;

const BROKEN = /* wgsl */ `@vertex fn vs() -> @builtin(position) vec4f {
  let x: f32 = 1.0;
  return vec4f(x, y, 0.0, 1.0);
}
@fragment fn fs() -> @location(0) vec4f {
  return vec4f(undefined_value);
}`;

describe('shaders', () => {
  it('compiles WGSL and records the module', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const shader = await manager.createShader({ label: 'tri', code: GOOD });
    const record = manager.resolve(shader);
    expect(record.kind).toBe('shader');
    expect(record.diagnostics.filter((m) => m.type === 'error')).toEqual([]);
    expect(manager.stats().byKind.shader).toEqual({ bytes: 0, count: 1 });
    manager.dispose();
  });

  it('a compile error rejects with ShaderCompileError listing every message with line:column and the source line', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const failure = manager.createShader({ label: 'broken', code: BROKEN });
    await expect(failure).rejects.toBeInstanceOf(ShaderCompileError);
    const error = (await failure.catch((e: unknown) => e)) as ShaderCompileError;
    const first = error.messages.find((m) => m.type === 'error')!;
    expect(first.line).toBe(3);
    expect(first.column).toBe(19);
    expect(first.sourceLine).toBe('  return vec4f(x, y, 0.0, 1.0);');
    expect(first.message).toMatch(/unresolved value 'y'/);
    expect(error.message).toMatch(/^'broken': shader failed to compile/);
    expect(error.message).toContain('3:19: error:');
    // The source line, indented under the message, and a caret under column 19.
    expect(error.message).toContain(`\n      return vec4f(x, y, 0.0, 1.0);\n    ${' '.repeat(18)}^`);
    expect(manager.stats().totalCount).toBe(0);
    manager.dispose();
  });

  it('keeps warnings with line:column and source line on the record', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const code = `@fragment fn fs() -> @location(0) vec4f {
  return vec4f(1.0);
  let unreachable_value = 1.0;
}`;
    const shader = await manager.createShader({ label: 'warned', code });
    const warnings = manager.resolve(shader).diagnostics.filter((m) => m.type === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatchObject({ line: 3, sourceLine: '  let unreachable_value = 1.0;' });
    expect(warnings[0]!.message).toMatch(/unreachable/);
    manager.dispose();
  });

  it('identical source and entry points share one shader; the last destroy forgets it', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const [a, b] = await Promise.all([
      manager.createShader({ label: 'a', code: GOOD, entryPoints: ['vs'] }),
      manager.createShader({ label: 'b', code: GOOD, entryPoints: ['vs'] }),
    ]);
    const c = await manager.createShader({ label: 'c', code: GOOD, entryPoints: ['vs'] });
    expect(b).toBe(a);
    expect(c).toBe(a);
    const other = await manager.createShader({ label: 'other', code: GOOD, entryPoints: ['main'] });
    expect(other).not.toBe(a);
    expect(manager.stats().byKind.shader.count).toBe(2);
    manager.destroy(a);
    manager.destroy(a);
    expect(manager.has(a)).toBe(true);
    manager.destroy(a);
    expect(manager.has(a)).toBe(false);
    expect(() => manager.destroy(a)).toThrow(StaleHandleError);
    const fresh = await manager.createShader({ label: 'fresh', code: GOOD, entryPoints: ['vs'] });
    expect(fresh).not.toBe(a);
    manager.dispose();
  });
});
