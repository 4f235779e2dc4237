import { flatString } from "./flat-string.js";
/** Where a stream stands: its four sfc32 words, and those of the streams forked from it, in fork order. */
export interface RandomPosition {
  words: [number, number, number, number];
  forks: RandomPosition[];
}

/**
 * The one source of randomness: a seeded sfc32 generator. Every id, jitter, injected fault and
 * spot interruption draws from it, so the same seed and the same calls replay the same run.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  readonly seed: number;
  /** Streams forked from this one, so that a restart can put every stream back where it stood. */
  private readonly forks: SeededRandom[] = [];

  constructor(seed: number) {
    this.seed = seed >>> 0;
    // splitmix32 expands one 32-bit seed into the four words sfc32 needs.
    let s = this.seed;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /**
   * An independent stream for one consumer (request ids, events, chaos), derived from the seed and
   * a label, so that one consumer's draws never shift another's: polling the API more often must
   * not change which tasks a replay interrupts.
   */
  fork(label: string): SeededRandom {
    let h = this.seed ^ 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    const child = new SeededRandom(h >>> 0);
    this.forks.push(child);
    return child;
  }

  position(): RandomPosition {
    return { words: [this.a, this.b, this.c, this.d], forks: this.forks.map((f) => f.position()) };
  }

  /** Puts this stream and its forks back at a saved position (forks are matched by fork order). */
  restorePosition(p: RandomPosition): void {
    [this.a, this.b, this.c, this.d] = p.words;
    p.forks.forEach((f, i) => this.forks[i]?.restorePosition(f));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    if (probability <= 0) return false;
    if (probability >= 1) return true;
    return this.float() < probability;
  }

  /** A duration around `base` with +/- `jitter` spread, never negative. */
  jitter(base: number, jitter: number): number {
    if (jitter <= 0) return base;
    return Math.max(0, Math.round(base + (this.float() * 2 - 1) * jitter));
  }

  /** An exponentially distributed delay with the given mean (for Poisson arrivals). */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  hex(chars: number): string {
    let out = "";
    while (out.length < chars) out += this.nextUint32().toString(16).padStart(8, "0");
    return flatString(out.slice(0, chars));
  }

  digits(count: number): string {
    let out = String(this.int(1, 9));
    while (out.length < count) out += String(this.int(0, 9));
    return out;
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return flatString(`${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks by weight; entries with weight 0 are never chosen unless all weights are 0. */
  weighted<T extends { weight?: number }>(items: readonly T[]): T {
    const total = items.reduce((sum, i) => sum + Math.max(0, i.weight ?? 1), 0);
    if (total <= 0) return this.pick(items);
    let r = this.float() * total;
    for (const item of items) {
      r -= Math.max(0, item.weight ?? 1);
      if (r < 0) return item;
    }
    return items[items.length - 1]!;
  }
}
