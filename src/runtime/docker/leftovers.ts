/**
 * Cleaning up after earlier simulator instances (a crash, a kill -9, keepContainers). Only objects
 * carrying the ecs-sim.instance label are touched, and never the current instance's.
 */
import { hostname } from "node:os";
import type Docker from "dockerode";
import type { Logger } from "../../core/logger.js";
import { LABEL_INSTANCE, LABEL_STATE } from "./labels.js";

export interface LeftoverReport {
  containers: number;
  networks: number;
  volumes: number;
}

/**
 * Instance ids are `<hostname>.<pid>.<random>`: objects of an instance whose process still runs on
 * this host are left alone, so simulators running side by side (parallel test files) never remove
 * each other's containers.
 */
export function newInstanceId(random: string): string {
  return `${hostname().replace(/[^A-Za-z0-9-]/g, "-")}.${process.pid}.${random}`;
}

function ownerAlive(instanceId: string): boolean {
  const [host, pid] = instanceId.split(".");
  if (host !== hostname().replace(/[^A-Za-z0-9-]/g, "-") || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function removeLeftovers(docker: Docker, currentInstanceId: string, logger?: Logger): Promise<LeftoverReport> {
  const report: LeftoverReport = { containers: 0, networks: 0, volumes: 0 };
  const foreign = (labels: Record<string, string> | undefined | null): boolean =>
    !!labels &&
    LABEL_INSTANCE in labels &&
    !(LABEL_STATE in labels) &&
    labels[LABEL_INSTANCE] !== currentInstanceId &&
    !ownerAlive(labels[LABEL_INSTANCE]!);
  const filters = JSON.stringify({ label: [LABEL_INSTANCE] });

  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers
      .filter((c) => foreign(c.Labels))
      .map(async (c) => {
        try {
          await docker.getContainer(c.Id).remove({ force: true, v: true });
          report.containers++;
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 404) logger?.warn("could not remove leftover container", { id: c.Id, error: (err as Error).message });
        }
      }),
  );

  const networks = await docker.listNetworks({ filters });
  for (const n of networks) {
    if (!foreign(n.Labels)) continue;
    try {
      await docker.getNetwork(n.Id).remove();
      report.networks++;
    } catch (err) {
      logger?.warn("could not remove leftover network", { name: n.Name, error: (err as Error).message });
    }
  }

  const volumes = await docker.listVolumes({ filters });
  for (const v of volumes.Volumes ?? []) {
    if (!foreign(v.Labels)) continue;
    try {
      await docker.getVolume(v.Name).remove();
      report.volumes++;
    } catch (err) {
      logger?.warn("could not remove leftover volume", { name: v.Name, error: (err as Error).message });
    }
  }
  if (report.containers || report.networks || report.volumes) logger?.info("removed leftovers of earlier ecs-sim instances", { ...report });
  return report;
}
