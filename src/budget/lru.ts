/** A node of an {@link LruList}: the list links live on the item itself, so a touch allocates nothing. */
export interface LruNode<T> {
  lruPrev: T | undefined;
  lruNext: T | undefined;
  inLru: boolean;
}

/**
 * An intrusive least-recently-used list: `touch` moves an item to the most-recent end in O(1), iteration
 * starts at the least recent.
 *
 * @example
 * const lru = new LruList<Item>();
 * lru.touch(a); lru.touch(b); lru.touch(a);
 * [...lru] // [b, a]
 */
export class LruList<T extends LruNode<T>> {
  private head: T | undefined;
  private tail: T | undefined;
  private count = 0;

  /** Items in the list. */
  get size(): number {
    return this.count;
  }

  /** Makes `item` the most recently used (adding it if it is not in the list). */
  touch(item: T): void {
    if (item.inLru) {
      if (this.tail === item) return;
      this.unlink(item);
    }
    item.lruPrev = this.tail;
    item.lruNext = undefined;
    if (this.tail) this.tail.lruNext = item;
    else this.head = item;
    this.tail = item;
    item.inLru = true;
    this.count++;
  }

  /** Removes `item` (nothing if it is not in the list). */
  remove(item: T): void {
    if (item.inLru) this.unlink(item);
  }

  /** Least recent first. Removing the current item while iterating is safe. */
  *[Symbol.iterator](): IterableIterator<T> {
    let item = this.head;
    while (item) {
      const next = item.lruNext;
      yield item;
      item = next;
    }
  }

  private unlink(item: T): void {
    const { lruPrev, lruNext } = item;
    if (lruPrev) lruPrev.lruNext = lruNext;
    else this.head = lruNext;
    if (lruNext) lruNext.lruPrev = lruPrev;
    else this.tail = lruPrev;
    item.lruPrev = undefined;
    item.lruNext = undefined;
    item.inLru = false;
    this.count--;
  }
}
