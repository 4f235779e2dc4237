/** Values pushed by callbacks, awaited one at a time by tests: no sleeps, no polling. */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((v: T) => void)[] = [];

  push = (item: T): void => {
    const w = this.waiters.shift();
    if (w) w(item);
    else this.items.push(item);
  };

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get buffered(): number {
    return this.items.length;
  }
}
