/**
 * Per-family RegisterTaskDefinition contention (reference §4.1). AWS rejects a registration that
 * overlaps another of the same family but documents no window; the simulator models the
 * in-flight registration as a lease of `windowMs` that starts at each accepted registration.
 * Refused attempts do not extend it. Keys include account and Region, so families are independent.
 */
export class RegistrationWindows {
  private readonly openUntil = new Map<string, { account: string; region: string; family: string; until: number }>();

  /** True (and opens a new window) when no window of this family is open at `now`. */
  tryAcquire(account: string, region: string, family: string, now: number, windowMs: number): boolean {
    if (windowMs <= 0) return true;
    const key = `${account}|${region}|${family}`;
    const open = this.openUntil.get(key);
    if (open && now < open.until) return false;
    this.openUntil.set(key, { account, region, family, until: now + windowMs });
    if (this.openUntil.size > 10_000) this.prune(now);
    return true;
  }

  /** Windows still open at `now`. */
  open(now: number): Array<{ account: string; region: string; family: string; remainingMs: number }> {
    this.prune(now);
    return [...this.openUntil.values()].map((w) => ({
      account: w.account,
      region: w.region,
      family: w.family,
      remainingMs: w.until - now,
    }));
  }

  clear(): void {
    this.openUntil.clear();
  }

  private prune(now: number): void {
    for (const [key, w] of this.openUntil) if (w.until <= now) this.openUntil.delete(key);
  }
}
