/**
 * Playground: forms that create textures, buffers and render targets through the manager, uploads through the
 * staging belt, a live table of what exists, typed errors shown on the page, and the stats overlay on top.
 * Runs on WebGPU or WebGL2 (`?backend=`): the same code, typed for each backend's manager.
 */
import {
  type AnyHandle,
  type BackendObjects,
  BufferUsage,
  createStatsOverlay,
  type Handle,
  type ResourceKind,
  type ResourceManager,
  TextureUsage,
} from '../../src/index.ts';
import { offerDump } from '../shared/dump-share.ts';
import { requireElement, startDemo } from '../shared/page.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import { type RenderTargetRequest, readBufferForm, readRenderTargetForm, readTextureForm } from './forms.ts';
import type { PlaygroundHook } from './hook.ts';
import { ResourceTableView } from './resource-table.ts';

void startDemo('playground', { manager: { debug: true } }, (backend) => {
  // One branch per backend so each call is typed for that backend's manager.
  const fields = backend.name === 'webgpu' ? runPlayground(backend.manager) : runPlayground(backend.manager);
  return { ...fields, backend: backend.name };
});

function runPlayground<B extends BackendObjects>(
  manager: ResourceManager<B>,
): Omit<PlaygroundHook, keyof DemoHookBase | 'backend' | 'manager'> & { manager: ResourceManager<B> } {
  const overlay = createStatsOverlay(manager, { budgetBytes: 64 * 2 ** 20 });
  offerDump(manager, 'playground');
  const errorLine = requireElement('playground-error', HTMLElement);
  /** Attachments created with each render target, destroyed with it. */
  const attachments = new Map<AnyHandle, Handle<'texture'>[]>();

  /** Live records, newest first (creation order from the manager's report, not timestamps, which can tie). */
  const newestFirst = () =>
    manager
      .leaks()
      .reverse()
      .map((report) => manager.get(report.handle as Handle<ResourceKind>))
      .filter((record) => record !== undefined);

  /** Runs a user action; a thrown error's name and message go on the page (and nowhere else: it is expected). */
  const act = (action: () => void) => {
    try {
      action();
      errorLine.textContent = '';
    } catch (error) {
      errorLine.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  };

  const createRenderTarget = (request: RenderTargetRequest) => {
    const { label, width, height, format, sampleCount, depthFormat } = request;
    const made: Handle<'texture'>[] = [];
    try {
      const single = sampleCount === 1;
      const color = manager.createTexture({
        label: `${label} color`,
        size: [width, height],
        format,
        sampleCount,
        usage: TextureUsage.RENDER_ATTACHMENT | (single ? TextureUsage.TEXTURE_BINDING : 0),
      });
      made.push(color);
      const resolveTarget = single
        ? undefined
        : manager.createTexture({
            label: `${label} resolve`,
            size: [width, height],
            format,
            usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.TEXTURE_BINDING,
          });
      if (resolveTarget !== undefined) made.push(resolveTarget);
      const depth =
        depthFormat === undefined
          ? undefined
          : manager.createTexture({
              label: `${label} depth`,
              size: [width, height],
              format: depthFormat,
              sampleCount,
              usage: TextureUsage.RENDER_ATTACHMENT,
            });
      if (depth !== undefined) made.push(depth);
      const rt = manager.createRenderTarget({
        label,
        color: [{ texture: color, resolveTarget }],
        depthStencil: depth,
      });
      attachments.set(rt, made);
    } catch (error) {
      // Nothing half-made stays behind: the attachments of a rejected render target go too.
      for (const handle of made.reverse()) manager.destroy(handle);
      throw error;
    }
  };

  const destroy = (handle: AnyHandle) => {
    manager.destroy(handle);
    for (const texture of attachments.get(handle) ?? []) if (manager.has(texture)) manager.destroy(texture);
    attachments.delete(handle);
  };

  const onSubmit = (id: string, action: (form: HTMLFormElement) => void) => {
    const form = requireElement(id, HTMLFormElement);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      act(() => action(form));
    });
  };
  onSubmit('texture-form', (form) => manager.createTexture(readTextureForm(form)));
  onSubmit('buffer-form', (form) => manager.createBuffer(readBufferForm(form)));
  onSubmit('render-target-form', (form) => createRenderTarget(readRenderTargetForm(form)));
  onSubmit('staging-form', (form) => {
    // The newest live buffer that can receive copies; the upload goes through the manager's staging belt,
    // whose pooled chunks the overlay shows under "staging".
    const target = newestFirst().find(
      (r) => r.kind === 'buffer' && (r.descriptor.usage & BufferUsage.COPY_DST) !== 0,
    );
    if (target?.kind !== 'buffer') throw new Error('no live buffer with COPY_DST usage: create one first');
    const kib = Number(new FormData(form).get('kib'));
    const bytes = Math.min(Math.floor(kib * 1024) & ~3, target.descriptor.size);
    const data = new Uint8Array(bytes).fill(0xab);
    void manager.upload(target.handle, 0, data);
    manager.flush();
  });
  requireElement('trim-staging', HTMLButtonElement).addEventListener('click', () =>
    act(() => manager.trimStaging({ keepBytes: 0, idleMs: 0 })),
  );

  const table = new ResourceTableView(
    requireElement('resource-rows', HTMLTableSectionElement),
    requireElement('resource-empty', HTMLElement),
    manager,
    (handle) => act(() => destroy(handle)),
  );
  requireElement('destroy-all', HTMLButtonElement).addEventListener('click', () =>
    act(() => {
      // Newest first: render targets go before the textures they use.
      for (const record of newestFirst()) if (manager.has(record.handle)) destroy(record.handle);
    }),
  );

  return { manager, overlay, tableRows: () => table.size };
}
