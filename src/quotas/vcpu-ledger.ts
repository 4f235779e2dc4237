import type { VcpuClass } from "./types.js";

/**
 * Fargate vCPU in use per account, Region and class (on-demand / spot), by task.
 *
 * A task is charged from the moment reserveLaunch admits it (PROVISIONING) until the scheduler
 * calls release at STOPPED. AWS describes the quota as vCPUs "running concurrently" and does not
 * say whether PROVISIONING/PENDING count (AWS documents none); charging at launch is the
 * only choice that stops a burst of RunTask calls from overshooting the quota before any task
 * reaches RUNNING, and it matches the observed need for headroom during rolling deployments.
 */
export interface Reservation {
  account: string;
  region: string;
  vcpuClass: VcpuClass;
  vcpu: number;
}

export interface VcpuUsageRow {
  account: string;
  region: string;
  vcpuClass: VcpuClass;
  inUse: number;
  tasks: number;
}

export class VcpuLedger {
  private readonly byTask = new Map<string, Reservation>();
  private readonly totals = new Map<string, VcpuUsageRow>();

  has(taskArn: string): boolean {
    return this.byTask.has(taskArn);
  }

  inUse(account: string, region: string, vcpuClass: VcpuClass): number {
    return this.totals.get(key(account, region, vcpuClass))?.inUse ?? 0;
  }

  reserve(taskArn: string, r: Reservation): void {
    if (this.byTask.has(taskArn)) return;
    this.byTask.set(taskArn, r);
    const k = key(r.account, r.region, r.vcpuClass);
    const row = this.totals.get(k) ?? { account: r.account, region: r.region, vcpuClass: r.vcpuClass, inUse: 0, tasks: 0 };
    row.inUse += r.vcpu;
    row.tasks += 1;
    this.totals.set(k, row);
  }

  /** Idempotent: releasing an unknown or already released task does nothing. */
  release(taskArn: string): boolean {
    const r = this.byTask.get(taskArn);
    if (!r) return false;
    this.byTask.delete(taskArn);
    const k = key(r.account, r.region, r.vcpuClass);
    const row = this.totals.get(k);
    if (row) {
      row.tasks -= 1;
      // Fargate sizes are multiples of 0.25 vCPU, exact in binary; the clamp only guards odd inputs.
      row.inUse = row.tasks === 0 ? 0 : Math.max(0, row.inUse - r.vcpu);
      if (row.tasks === 0) this.totals.delete(k);
    }
    return true;
  }

  /** Every reservation by task, for persistence (restored through reserve()). */
  reservations(): [string, Reservation][] {
    return [...this.byTask].map(([arn, r]) => [arn, { ...r }]);
  }

  rows(): VcpuUsageRow[] {
    return [...this.totals.values()].map((r) => ({ ...r }));
  }

  clear(): void {
    this.byTask.clear();
    this.totals.clear();
  }
}

function key(account: string, region: string, vcpuClass: VcpuClass): string {
  return `${account}|${region}|${vcpuClass}`;
}
