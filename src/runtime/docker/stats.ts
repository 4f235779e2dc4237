import type { RuntimeTaskSpec, TaskUsage } from "../types.js";

/** The parts of Docker's container stats (GET /containers/{id}/stats?stream=false) that usage needs. */
export interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/**
 * A task's use from its containers' stats, as ECS measures it for CloudWatch: CPU in vCPUs used
 * (Docker's delta over its own sampling window) against the task's CPU units (1024 = one vCPU),
 * memory in use without the page cache against the task's memory. A task without task-level
 * sizes is measured against its containers' sizes, and one vCPU when none is given.
 */
export function usageFromStats(spec: RuntimeTaskSpec, stats: DockerStats[]): TaskUsage {
  let vcpus = 0;
  let bytes = 0;
  for (const s of stats) {
    const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
    const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
    const online = s.cpu_stats?.online_cpus ?? 1;
    if (cpuDelta > 0 && systemDelta > 0) vcpus += (cpuDelta / systemDelta) * online;
    const m = s.memory_stats;
    // cgroup v2 reports the page cache as inactive_file, cgroup v1 as cache: neither counts as use.
    const cache = m?.stats?.["inactive_file"] ?? m?.stats?.["total_inactive_file"] ?? m?.stats?.["cache"] ?? 0;
    bytes += Math.max(0, (m?.usage ?? 0) - cache);
  }
  const cpuUnits = spec.cpu || spec.containers.reduce((n, c) => n + c.cpu, 0) || 1024;
  const memoryMiB = spec.memory || spec.containers.reduce((n, c) => n + (c.memory ?? c.memoryReservation ?? 0), 0);
  return {
    cpuPercent: (vcpus / (cpuUnits / 1024)) * 100,
    memoryPercent: memoryMiB > 0 ? (bytes / (memoryMiB * 1024 * 1024)) * 100 : 0,
  };
}
