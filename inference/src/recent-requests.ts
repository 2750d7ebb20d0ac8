/**
 * The last N prediction request ids this process answered (with their basket
 * counts), so feedback can say whether the prediction was made here. A ring of
 * ids plus a map: O(1) per request, bounded memory (~10 MB for 100k ids).
 */
export class RecentRequests {
  private readonly ring: (string | undefined)[];
  private readonly counts = new Map<string, number>();
  private next = 0;

  constructor(readonly capacity = 100_000) {
    this.ring = new Array<string | undefined>(capacity);
  }

  add(requestId: string, baskets: number): void {
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.counts.delete(evicted);
    this.ring[this.next] = requestId;
    this.counts.set(requestId, baskets);
    this.next = (this.next + 1) % this.capacity;
  }

  /** Whether this process predicted basket `item` of that request. */
  has(requestId: string, item: number): boolean {
    const n = this.counts.get(requestId);
    return n !== undefined && item < n;
  }
}
