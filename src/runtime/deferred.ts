/**
 * A promise with its settle functions outside: runtimes turn container events (started, exited,
 * healthy) into promises that dependsOn waits and tests can await.
 */
export class Deferred<T> {
  readonly promise: Promise<T>;
  settled = false;
  resolve!: (value: T) => void;
  reject!: (err: Error) => void;
  constructor() {
    this.promise = new Promise<T>((res, rej) => {
      this.resolve = (v) => {
        this.settled = true;
        res(v);
      };
      this.reject = (e) => {
        this.settled = true;
        rej(e);
      };
    });
    // Unobserved rejections are expected (a dependency nobody waits on); never crash on them.
    this.promise.catch(() => undefined);
  }
}
