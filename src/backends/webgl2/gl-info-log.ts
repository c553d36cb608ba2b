/**
 * Turns GLSL compiler and linker info logs into `ShaderMessage`s with line numbers and source lines. No spec
 * defines the log format; every WebGL implementation in use (ANGLE in Chromium, Firefox and Safari) writes
 * `ERROR: <source string>:<line>: <message>` and `WARNING: ...`, which is what is parsed here. Any other
 * non-empty line is kept as a message without position, so nothing the compiler said is lost.
 */
import type { ShaderMessage } from '../../errors.ts';
import { sourceLineAt } from '../../resources/shader.ts';

const POSITIONED = /^\s*(ERROR|WARNING|INFO):\s*\d+:(\d+):\s*(.*)$/i;
// ANGLE's summary line repeats what the positioned lines already said.
const SUMMARY = /^\s*ERROR:\s*\d+\s+compilation errors?\.?\s*(No code generated\.?)?\s*$/i;

/**
 * Parses one shader's info log. `stage` prefixes every message (`[vertex]`, `[fragment]`, `[link]`) since a
 * program has two sources; `lineOffset` maps lines of the compiled text back to the caller's source when
 * leading blank lines were stripped before compiling; `failed` gives unpositioned lines the type 'error'.
 *
 * @example
 * parseInfoLog("ERROR: 0:3: 'foo' : undeclared identifier\n", { stage: 'vertex', source, lineOffset: 0, failed: true })
 * // [{ type: 'error', line: 3, column: 0, message: "[vertex] 'foo' : undeclared identifier", sourceLine: source line 3 }]
 */
export function parseInfoLog(
  log: string,
  options: { stage: string; source: string; lineOffset: number; failed: boolean },
): ShaderMessage[] {
  const messages: ShaderMessage[] = [];
  for (const raw of log.split('\n')) {
    const text = raw.trim();
    if (!text || SUMMARY.test(text)) continue;
    const match = POSITIONED.exec(text);
    if (match) {
      const line = Number(match[2]) + options.lineOffset;
      messages.push({
        type: toType(match[1]!),
        message: `[${options.stage}] ${match[3]!.trim()}`,
        line,
        column: 0,
        sourceLine: sourceLineAt(options.source, line),
      });
    } else {
      messages.push({
        type: options.failed ? 'error' : 'info',
        message: `[${options.stage}] ${text}`,
        line: 0,
        column: 0,
        sourceLine: '',
      });
    }
  }
  return messages;
}

function toType(word: string): ShaderMessage['type'] {
  const upper = word.toUpperCase();
  if (upper === 'ERROR') return 'error';
  return upper === 'WARNING' ? 'warning' : 'info';
}

/**
 * Strips blank lines before `#version 300 es`, which GLSL ES 3.00 requires on the first line (a template
 * literal often starts with a newline), and says how many lines were removed so messages keep the caller's
 * line numbers.
 *
 * @example
 * prepareGlslSource('\n#version 300 es\nvoid main() {}') // { source: '#version 300 es\nvoid main() {}', lineOffset: 1 }
 */
export function prepareGlslSource(source: string): { source: string; lineOffset: number } {
  let lineOffset = 0;
  let rest = source;
  for (let match = /^[ \t\r]*\n/.exec(rest); match; match = /^[ \t\r]*\n/.exec(rest)) {
    rest = rest.slice(match[0].length);
    lineOffset++;
  }
  return { source: rest, lineOffset };
}
