import type { TextureUploadCopy } from '../staging/planning/texture-transfer.ts';

/** Where kept contents are written back: the manager's staging, for the rebuilt GPU object. */
export interface ContentSink {
  writeBuffer(offset: number, data: Uint8Array): void;
  writeTexture(data: Uint8Array, copy: TextureUploadCopy): void;
}

/**
 * The CPU copy of a buffer's uploaded bytes (`content: 'keep'`): one image the size of the buffer, plus the
 * range written so far, so only what was uploaded is uploaded again.
 *
 * @example
 * const kept = new KeptBuffer(256);
 * kept.write(16, bytes);
 * kept.replay(sink); // one write of bytes 16..16+bytes.length
 */
export class KeptBuffer {
  private image: Uint8Array | undefined;
  private low = Number.POSITIVE_INFINITY;
  private high = 0;

  constructor(private readonly size: number) {}

  /** Host bytes held (the image is allocated at the first write). */
  get hostBytes(): number {
    return this.image ? this.size : 0;
  }

  /** Records an upload of `data` at `offset` (already validated against the buffer). */
  write(offset: number, data: Uint8Array): void {
    this.image ??= new Uint8Array(this.size);
    this.image.set(data, offset);
    if (offset < this.low) this.low = offset;
    if (offset + data.byteLength > this.high) this.high = offset + data.byteLength;
  }

  /** Uploads what was kept into a rebuilt buffer. */
  replay(sink: ContentSink): void {
    if (!this.image || this.high <= this.low) return;
    sink.writeBuffer(this.low, this.image.subarray(this.low, this.high));
  }

  /** A checksum-friendly view of what is kept (the whole image; zeros where nothing was written). */
  get bytes(): Uint8Array | undefined {
    return this.image;
  }
}

/**
 * The CPU copy of a texture's uploads (`content: 'keep'`): each upload's bytes and copy, in order. An upload of
 * exactly the same region as an earlier one replaces it, so re-uploading a texture each frame keeps one copy.
 *
 * @example
 * const kept = new KeptTexture();
 * kept.write(texels, plan.copy);
 * kept.replay(sink);
 */
export class KeptTexture {
  private readonly uploads: { readonly data: Uint8Array; readonly copy: TextureUploadCopy }[] = [];
  private held = 0;

  /** Host bytes held. */
  get hostBytes(): number {
    return this.held;
  }

  /** Records an upload (the data is copied: the caller may reuse its array). */
  write(data: Uint8Array, copy: TextureUploadCopy): void {
    const index = this.uploads.findIndex((u) => sameRegion(u.copy, copy));
    if (index >= 0) {
      this.held -= this.uploads[index]!.data.byteLength;
      this.uploads.splice(index, 1);
    }
    this.uploads.push({ data: data.slice(), copy });
    this.held += data.byteLength;
  }

  /** Uploads every kept region again, in the order they were first written. */
  replay(sink: ContentSink): void {
    for (const upload of this.uploads) sink.writeTexture(upload.data, upload.copy);
  }
}

function sameRegion(a: TextureUploadCopy, b: TextureUploadCopy): boolean {
  return (
    a.mipLevel === b.mipLevel &&
    a.origin.x === b.origin.x &&
    a.origin.y === b.origin.y &&
    a.origin.z === b.origin.z &&
    a.size.width === b.size.width &&
    a.size.height === b.size.height &&
    a.size.depthOrArrayLayers === b.size.depthOrArrayLayers
  );
}
