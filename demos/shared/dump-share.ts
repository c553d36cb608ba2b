/**
 * "Download dump" for every demo page, and the page's side of the dump viewer's live follow.
 *
 * The button saves `manager.toJSON()` (`gpu-handles/dump@1`) as a `.json` file that demos/dump/ opens.
 *
 * Following a live manager goes through a BroadcastChannel named {@link DUMP_CHANNEL}, which every page of the
 * same origin can join, in any tab or window, with no opener relation needed (window.opener would tie the
 * viewer to the one page that opened it, and is lost on reload). The protocol is four plain messages:
 * - viewer → all: `{ type: 'who' }`; each page answers `{ type: 'here', id, page }`;
 * - viewer → all: `{ type: 'request', id }`; the page with that id answers `{ type: 'dump', id, page, dump }`.
 * A page does no work until a viewer asks: no timer, no dump taken unasked.
 */

/** The BroadcastChannel name of the dump protocol. */
export const DUMP_CHANNEL = 'gpu-handles-dumps';

/** A message of the dump protocol (see the module comment). */
export type DumpMessage =
  | { readonly type: 'who' }
  | { readonly type: 'here'; readonly id: string; readonly page: string }
  | { readonly type: 'request'; readonly id: string }
  | { readonly type: 'dump'; readonly id: string; readonly page: string; readonly dump: unknown };

/** What can be dumped: any manager (`toJSON()` returns a `gpu-handles/dump@1`). */
export interface DumpSource {
  toJSON(): unknown;
}

/**
 * Adds a "Download dump" button to the page's header and answers the dump viewer's follow requests for
 * `manager`. Returns the function that removes both.
 *
 * @example
 * offerDump(backend.manager, 'stress');
 */
export function offerDump(manager: DumpSource, page: string): () => void {
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'download-dump';
  button.textContent = 'Download dump';
  button.title = 'Save manager.toJSON() as a file for the dump viewer (demos/dump/)';
  button.addEventListener('click', () => downloadDump(manager, page));
  (document.querySelector('header.site') ?? document.body).append(button);

  const id = `${page}-${Math.random().toString(36).slice(2, 10)}`;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(DUMP_CHANNEL) : undefined;
  channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data as Partial<DumpMessage> | null;
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'who') channel.postMessage({ type: 'here', id, page } satisfies DumpMessage);
    if (message.type === 'request' && (message as { id?: unknown }).id === id) {
      channel.postMessage({ type: 'dump', id, page, dump: manager.toJSON() } satisfies DumpMessage);
    }
  });
  return () => {
    button.remove();
    channel?.close();
  };
}

/**
 * Saves `manager.toJSON()` as `gpu-handles-dump-<page>-<time>.json` through a temporary download link.
 *
 * @example
 * downloadDump(manager, 'playground');
 */
export function downloadDump(manager: DumpSource, page: string): void {
  const blob = new Blob([JSON.stringify(manager.toJSON(), null, 1)], { type: 'application/json' });
  saveBlob(blob, `gpu-handles-dump-${page}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
}

/**
 * Offers `blob` as a download named `name` (an `<a download>` clicked once; its URL is revoked afterwards).
 *
 * @example
 * saveBlob(new Blob(['{}']), 'empty.json');
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download has started from the URL by the next task; a minute leaves room for slow machines.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
