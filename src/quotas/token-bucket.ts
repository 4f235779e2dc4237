/**
 * A token bucket with lazy refill: capacity = burst, refill = sustained tokens per second.
 * No timers: the level is recomputed from the difference between two clock readings, so it
 * behaves identically under the real clock and under a VirtualClock that only moves on advance().
 */
export interface BucketSpec {
  /** Capacity: how many calls may arrive at once after a quiet period. */
  burst: number;
  /** Refill rate in tokens per second. */
  sustained: number;
}

/** Internal unit: a thousandth of a token, so integer rates refill exact integers per millisecond. */
const UNIT = 1000;

export class TokenBucket {
  private capacity: number;
  private ratePerMs: number;
  private level: number;
  private last: number;

  /** A new bucket starts full, as an account that has been quiet would. */
  constructor(spec: BucketSpec, nowMs: number) {
    this.capacity = spec.burst * UNIT;
    this.ratePerMs = spec.sustained; // sustained tokens/s == sustained * UNIT units per 1000 ms
    this.level = this.capacity;
    this.last = nowMs;
  }

  get spec(): BucketSpec {
    return { burst: this.capacity / UNIT, sustained: this.ratePerMs };
  }

  /**
   * Applies a changed burst/rate at once. Tokens earned so far are credited at the old rate
   * first; a smaller capacity cuts the level down, a larger one does not hand out free tokens.
   */
  reconfigure(spec: BucketSpec, nowMs: number): void {
    if (spec.burst * UNIT === this.capacity && spec.sustained === this.ratePerMs) return;
    this.refill(nowMs);
    this.capacity = spec.burst * UNIT;
    this.ratePerMs = spec.sustained;
    this.level = Math.min(this.level, this.capacity);
  }

  /** Takes `count` tokens if all are there; otherwise takes none. */
  tryTake(nowMs: number, count = 1): boolean {
    if (!this.canTake(nowMs, count)) return false;
    this.level -= count * UNIT;
    return true;
  }

  /** Whether `count` tokens are there now (refills, never takes). */
  canTake(nowMs: number, count = 1): boolean {
    this.refill(nowMs);
    return this.level >= count * UNIT;
  }

  /** Tokens available now (fractional). */
  tokens(nowMs: number): number {
    this.refill(nowMs);
    return this.level / UNIT;
  }

  /** Milliseconds until `count` tokens will be there (0 if they are). */
  msUntil(nowMs: number, count = 1): number {
    this.refill(nowMs);
    const missing = count * UNIT - this.level;
    if (missing <= 0) return 0;
    if (this.ratePerMs <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(missing / this.ratePerMs);
  }

  private refill(nowMs: number): void {
    // A clock that steps backwards (never expected) must not drain the bucket.
    const elapsed = nowMs - this.last;
    if (elapsed <= 0) return;
    this.level = Math.min(this.capacity, this.level + elapsed * this.ratePerMs);
    this.last = nowMs;
  }
}
