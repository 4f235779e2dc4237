/**
 * Server CPU per read request against a bare fastify server returning the same bytes, measured
 * in the same run: the simulator and the bare server each in a child process, the same keep-alive
 * closed-loop client (16 connections) driving both, alternated and repeated; figures are medians.
 *
 * Two simulator figures per route: `unlimitedQuotas` answers every request with the same body as
 * the bare server (the like-for-like CPU ratio), `defaultProfile` runs the aws-default quota
 * profile at the default log level as users start it, where most of a 16-connection flood is
 * throttled (those answers count: they are what the server did).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ecsClient, load, round, startChild, startSimulatorProcess } from "./lib.mjs";

const BARE = fileURLToPath(new URL("./bare-fastify.mjs", import.meta.url));

export async function runRequestBench({ rounds = 3, seconds = 3, connections = 16, port = 4791 } = {}) {
  const sims = {
    unlimitedQuotas: await startSimulatorProcess(port, ["--quota-profile", "unlimited"]),
    defaultProfile: await startSimulatorProcess(port + 2),
  };
  const clients = { unlimitedQuotas: ecsClient(port, { connections }), defaultProfile: ecsClient(port + 2, { connections }) };
  const dir = mkdtempSync(join(tmpdir(), "ecs-sim-bench-"));
  const routes = {};
  try {
    const requests = { unlimitedQuotas: await seed(clients.unlimitedQuotas), defaultProfile: await seed(clients.defaultProfile) };
    for (const op of Object.keys(requests.unlimitedQuotas)) {
      const payloadOf = (name) => JSON.stringify(requests[name][op]);
      const payload = payloadOf("unlimitedQuotas");
      const answer = await clients.unlimitedQuotas.raw(op, payload);
      const file = join(dir, `${op}.json`);
      writeFileSync(file, answer.body);
      const runs = { bareFastify: [], unlimitedQuotas: [], defaultProfile: [] };
      for (let i = 0; i < rounds; i++) {
        const bare = await startChild([BARE, String(port + 1), file]);
        const bareClient = ecsClient(port + 1, { connections });
        try {
          runs.bareFastify.push(await load(bareClient, bare, op, payload, { connections, seconds }));
        } finally {
          bareClient.close();
          await bare.stop();
        }
        for (const name of ["unlimitedQuotas", "defaultProfile"]) {
          runs[name].push(await load(clients[name], sims[name], op, payloadOf(name), { connections, seconds }));
        }
      }
      const bare = median(runs.bareFastify);
      const versus = (s) => ({
        ...s,
        cpuPerRequestRatio: round(s.serverCpuMicrosPerRequest / bare.serverCpuMicrosPerRequest),
        requestsPerSecondShare: round(s.requestsPerSecond / bare.requestsPerSecond),
      });
      routes[op] = {
        responseBytes: answer.body.length,
        bareFastify: bare,
        unlimitedQuotas: versus(median(runs.unlimitedQuotas)),
        defaultProfile: versus(median(runs.defaultProfile)),
        targets: { cpuPerRequestRatioAtMost: 1.5, requestsPerSecondShareAtLeast: 0.75 },
      };
    }
  } finally {
    for (const c of Object.values(clients)) c.close();
    for (const s of Object.values(sims)) await s.stop();
  }
  return { connections, seconds, rounds, routes };
}

/** A definition and ten running tasks; the read requests the bench repeats. */
async function seed(client) {
  await client.call("CreateCluster", {});
  await client.call("RegisterTaskDefinition", {
    family: "web",
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: "256",
    memory: "512",
    containerDefinitions: [{ name: "app", image: "busybox", portMappings: [{ containerPort: 80 }], environment: [{ name: "A", value: "1" }] }],
  });
  const run = await client.call("RunTask", { taskDefinition: "web", count: 10, launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } } });
  await new Promise((r) => setTimeout(r, 500));
  return { DescribeTaskDefinition: { taskDefinition: "web:1" }, DescribeTasks: { tasks: run.tasks.map((t) => t.taskArn) } };
}

function median(runs) {
  const sorted = [...runs].sort((a, b) => a.serverCpuMicrosPerRequest - b.serverCpuMicrosPerRequest);
  return sorted[Math.floor(sorted.length / 2)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runRequestBench({ rounds: Number(process.env.BENCH_ROUNDS ?? 3) }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
