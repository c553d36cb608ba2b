/**
 * The viewer's side of the live follow (the protocol is in demos/shared/dump-share.ts): finds the demo pages
 * open on this origin, and while following one, asks it for a dump every `intervalMs`. Messages come from any
 * page of the origin, so their shape is checked here and the dump itself by parseDump.
 */
import { DUMP_CHANNEL, type DumpMessage } from '../shared/dump-share.ts';

/** A page that answered `who`. */
export interface Peer {
  readonly id: string;
  readonly page: string;
}

/** What the follower reports. */
export interface FollowerEvents {
  /** The pages found, after each discovery round. */
  peers(peers: readonly Peer[]): void;
  /** A dump from the followed page (unchecked: pass it to parseDump). */
  dump(peer: Peer, dump: unknown): void;
}

/**
 * Discovers pages and follows one.
 *
 * @example
 * const follower = new DumpFollower({ peers: showPeers, dump: (peer, d) => show(parseDump(d)) });
 * follower.follow('stress-1a2b3c');
 */
export class DumpFollower {
  private readonly channel = new BroadcastChannel(DUMP_CHANNEL);
  private readonly found = new Map<string, Peer>();
  private followed: string | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private discoverTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly events: FollowerEvents,
    intervalMs = 500,
  ) {
    this.channel.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.discover();
  }

  /** The pages found so far. */
  get peers(): readonly Peer[] {
    return [...this.found.values()];
  }

  /** The followed page's id, if any. */
  get following(): string | undefined {
    return this.followed;
  }

  /** Asks every page to say it is there; the peer list is reported a moment later. */
  discover(): void {
    this.found.clear();
    this.channel.postMessage({ type: 'who' } satisfies DumpMessage);
    clearTimeout(this.discoverTimer);
    this.discoverTimer = setTimeout(() => this.events.peers(this.peers), 300);
  }

  /** Follows the page with this id (`undefined` stops following). The first dump is asked for at once. */
  follow(id: string | undefined): void {
    this.followed = id;
    this.poll();
  }

  /** Stops everything. */
  close(): void {
    clearInterval(this.timer);
    clearTimeout(this.discoverTimer);
    this.channel.close();
  }

  private poll(): void {
    if (this.followed !== undefined) {
      this.channel.postMessage({ type: 'request', id: this.followed } satisfies DumpMessage);
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as Record<string, unknown>;
    const { id, page } = message;
    if (typeof id !== 'string' || typeof page !== 'string') return;
    if (message.type === 'here') {
      this.found.set(id, { id, page });
      this.events.peers(this.peers);
    } else if (message.type === 'dump' && id === this.followed) {
      this.events.dump({ id, page }, message.dump);
    }
  }
}
