/**
 * Pending timers ordered by (due time, creation order) in a binary min-heap. Adding a timer and
 * taking the next due one cost O(log N); cancelling is O(1) (the entry is dropped lazily when it
 * reaches the top, and the heap is rebuilt once cancelled entries outnumber live ones, so a
 * workload that mostly cancels does not grow the heap without bound).
 */
export interface QueuedTimer {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private readonly live = new Map<number, QueuedTimer>();
  private nextSeq = 0;

  get size(): number {
    return this.live.size;
  }

  add(id: number, at: number, fn: () => void): QueuedTimer {
    const timer: QueuedTimer = { id, at, seq: this.nextSeq++, fn };
    this.live.set(id, timer);
    this.heap.push(timer);
    this.siftUp(this.heap.length - 1);
    return timer;
  }

  cancel(id: number): void {
    if (!this.live.delete(id)) return;
    if (this.heap.length > 64 && this.heap.length > 2 * this.live.size) this.rebuild();
  }

  /** The earliest live timer, without removing it. */
  peek(): QueuedTimer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer if it is due at or before `limit`. */
  popDue(limit: number): QueuedTimer | undefined {
    const top = this.peek();
    if (!top || top.at > limit) return undefined;
    this.removeTop();
    this.live.delete(top.id);
    return top;
  }

  clear(): void {
    this.heap = [];
    this.live.clear();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.live.get(this.heap[0]!.id) !== this.heap[0]) this.removeTop();
  }

  private rebuild(): void {
    this.heap = [...this.live.values()];
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1]!, heap[child]!)) child++;
      if (!before(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
