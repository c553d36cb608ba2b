/**
 * Dump viewer: loads a `gpu-handles/dump@1` (a file, a paste, or a live page followed through the dump
 * channel) and draws it on one canvas: treemap of bytes by kind and label, biggest resources, timeline, leak
 * suspects in red; exports the canvas as PNG. The viewer itself needs no GPU; the page also runs a small
 * manager of its own (WebGPU, or WebGL2 with ?backend=webgl2) so there is something to follow at once.
 */
import { createStatsOverlay } from '../../src/index.ts';
import { offerDump, saveBlob } from '../shared/dump-share.ts';
import { requireElement, startDemo } from '../shared/page.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import { canvasToPng } from './export-png.ts';
import { DumpFollower, type Peer } from './follow.ts';
import type { DumpViewerHook, HookView } from './hook.ts';
import { createSample } from './sample.ts';
import { DumpViewer } from './viewer.ts';

const canvas = requireElement('dump-canvas', HTMLCanvasElement);
const errorLine = requireElement('dump-error', HTMLElement);
const select = requireElement('follow-select', HTMLSelectElement);
const threshold = requireElement('leak-threshold', HTMLInputElement);
const viewer = new DumpViewer(canvas, errorLine);

const follower = new DumpFollower({
  peers: (peers) => showPeers(peers),
  dump: (peer, dump) => viewer.showFollowed(dump, peer.id, peer.page),
});

function showPeers(peers: readonly Peer[]): void {
  const chosen = select.value;
  const options = [new Option('(none)', '')];
  for (const peer of peers) options.push(new Option(`${peer.page} (${peer.id})`, peer.id));
  select.replaceChildren(...options);
  select.value = peers.some((p) => p.id === chosen) ? chosen : '';
  // Nothing shown yet: follow this page's own manager as soon as it answers.
  if (!viewer.shown && follower.following === undefined) {
    const self = peers.find((p) => p.page === 'dump');
    if (self) {
      select.value = self.id;
      follower.follow(self.id);
    }
  }
}

select.addEventListener('change', () => follower.follow(select.value || undefined));
requireElement('follow-refresh', HTMLButtonElement).addEventListener('click', () => follower.discover());
requireElement('dump-file', HTMLInputElement).addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  stopFollowing();
  viewer.showText(await file.text(), `file ${file.name}`);
});
requireElement('dump-load-paste', HTMLButtonElement).addEventListener('click', () => {
  stopFollowing();
  viewer.showText(requireElement('dump-paste', HTMLTextAreaElement).value, 'pasted dump');
});
threshold.addEventListener('input', () => {
  viewer.thresholdMs = Number(threshold.value) * 1000;
});
requireElement('export-png', HTMLButtonElement).addEventListener('click', async () => {
  try {
    saveBlob(await canvasToPng(canvas), 'gpu-handles-dump.png');
  } catch (error) {
    errorLine.textContent = error instanceof Error ? error.message : String(error);
  }
});

function stopFollowing(): void {
  follower.follow(undefined);
  select.value = '';
}

function view(): HookView | undefined {
  const shown = viewer.shown;
  if (!shown) return undefined;
  return {
    source: shown.source,
    totalBytes: shown.dump.total.bytes,
    resources: shown.dump.resources.length,
    suspects: shown.drawn.suspects,
    cells: shown.drawn.kinds.flatMap((kind) =>
      kind.labels.map(({ data, x, y, width, height }) => ({ ...data, x, y, width, height })),
    ),
  };
}

void startDemo('dump', {}, (backend) => {
  const manager = backend.manager;
  const overlay = createStatsOverlay(manager, { biggest: 5 });
  const sample = backend.name === 'webgpu' ? createSample(backend.manager) : createSample(backend.manager);
  offerDump(manager, 'dump');
  requireElement('sample-add', HTMLButtonElement).addEventListener('click', () => sample.add());
  requireElement('sample-destroy', HTMLButtonElement).addEventListener('click', () => sample.destroyNewest());
  follower.discover();
  return { manager, overlay, backend: backend.name };
});

// The viewer works without a GPU: its fields go on the hook now, whatever the backend turns out to be.
Object.assign(window.__demo as DumpViewerHook, {
  showText(text: string, source: string) {
    stopFollowing();
    return viewer.showText(text, source);
  },
  view,
  errorText: () => errorLine.textContent ?? '',
  async exportPng() {
    const blob = await canvasToPng(canvas);
    return { type: blob.type, bytes: [...new Uint8Array(await blob.arrayBuffer())] };
  },
  peers: () => follower.peers,
} satisfies Omit<DumpViewerHook, keyof DemoHookBase>);
