/**
 * The WebGL2 upload benchmark alone (`npx tsc -p bench/tsconfig.json && node .bench-out/bench/webgl2-uploads-only.js`).
 */
import { benchWebGL2Uploads } from './webgl2-uploads.ts';

console.log('== WebGL2 uploads (Chromium, ANGLE on SwiftShader) ==');
const ok = await benchWebGL2Uploads();
if (!ok) console.log('some targets were missed (see MISS lines)');
process.exit(0);
