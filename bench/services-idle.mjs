/**
 * Idle cost of many settled services: `services` services of `perService` tasks each (simulated
 * runtime, fast timing, unlimited quotas) in a child process, then its CPU over `seconds` with no
 * API traffic. Target: under 5 % of one core at 1,000 x 10.
 */
import { ecsClient, round, startSimulatorProcess } from "./lib.mjs";

export async function runServicesIdleBench({ services = 1_000, perService = 10, seconds = 10, port = 4801 } = {}) {
  const server = await startSimulatorProcess(port, ["--quota-profile", "unlimited", "--log-level", "warn"]);
  const client = ecsClient(port, { connections: 8 });
  try {
    await client.call("CreateCluster", {});
    await client.call("RegisterTaskDefinition", {
      family: "svc",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image: "busybox" }],
    });
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < services) {
        const i = next++;
        await client.call("CreateService", {
          serviceName: `s${i}`,
          taskDefinition: "svc",
          desiredCount: perService,
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    for (;;) {
      const c = (await client.call("DescribeClusters", { clusters: ["default"] })).clusters[0];
      if (c.runningTasksCount >= services * perService) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const setupSeconds = (performance.now() - t0) / 1000;
    // Let the services reach steady state (and their steady-state events) before measuring.
    await new Promise((r) => setTimeout(r, 3_000));
    const cpu0 = server.cpuSeconds();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const idle = (server.cpuSeconds() - cpu0) / ((performance.now() - w0) / 1000);
    return {
      services,
      tasksPerService: perService,
      setupSeconds: round(setupSeconds, 1),
      rssMB: round(server.rssBytes() / 2 ** 20, 0),
      idleCpuPercentOfOneCore: round(idle * 100, 1),
      targetPercentAtMost: 5,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runServicesIdleBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
