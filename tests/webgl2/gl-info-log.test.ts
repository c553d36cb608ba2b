/** GLSL info logs as structured messages; leading blank lines stripped without shifting line numbers. */
import { describe, expect, it } from 'vitest';
import { parseInfoLog, prepareGlslSource } from '../../src/backends/webgl2/gl-info-log.ts';

const source = '#version 300 es\nvoid main() {\n  gl_Position = vec4(foo);\n  int x = 1.0;\n}\n';

describe('parseInfoLog', () => {
  it('reads ANGLE-style errors with their line and source line', () => {
    const log =
      "ERROR: 0:3: 'foo' : undeclared identifier\nERROR: 0:4: '=' : cannot convert from 'const float' to 'highp int'\n";
    expect(parseInfoLog(log, { stage: 'vertex', source, lineOffset: 0, failed: true })).toEqual([
      {
        type: 'error',
        message: "[vertex] 'foo' : undeclared identifier",
        line: 3,
        column: 0,
        sourceLine: '  gl_Position = vec4(foo);',
      },
      {
        type: 'error',
        message: "[vertex] '=' : cannot convert from 'const float' to 'highp int'",
        line: 4,
        column: 0,
        sourceLine: '  int x = 1.0;',
      },
    ]);
  });

  it('maps lines back through the stripped-line offset and keeps warnings', () => {
    const original = `\n\n${source}`;
    const messages = parseInfoLog("WARNING: 0:3: 'foo' : something\n", {
      stage: 'fragment',
      source: original,
      lineOffset: 2,
      failed: false,
    });
    expect(messages).toEqual([
      {
        type: 'warning',
        message: "[fragment] 'foo' : something",
        line: 5,
        column: 0,
        sourceLine: '  gl_Position = vec4(foo);',
      },
    ]);
  });

  it('keeps unpositioned lines (link logs) and drops the summary line', () => {
    const log =
      "Types of varying 'v' differ between VERTEX and FRAGMENT shaders.\nERROR: 2 compilation errors.  No code generated.\n";
    expect(parseInfoLog(log, { stage: 'link', source: '', lineOffset: 0, failed: true })).toEqual([
      {
        type: 'error',
        message: "[link] Types of varying 'v' differ between VERTEX and FRAGMENT shaders.",
        line: 0,
        column: 0,
        sourceLine: '',
      },
    ]);
  });
});

describe('prepareGlslSource', () => {
  it('strips blank lines before #version and counts them', () => {
    expect(prepareGlslSource('\n  \n#version 300 es\nvoid main() {}')).toEqual({
      source: '#version 300 es\nvoid main() {}',
      lineOffset: 2,
    });
    expect(prepareGlslSource('#version 300 es\n')).toEqual({ source: '#version 300 es\n', lineOffset: 0 });
  });
});
