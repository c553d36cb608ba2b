/**
 * The atlas benchmark alone (`npx tsc -p bench/tsconfig.json && node .bench-out/bench/atlas-only.js`).
 */
import { benchAtlas } from './atlas.ts';

if (!benchAtlas()) console.log('some targets were missed (see MISS lines)');
