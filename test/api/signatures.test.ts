import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateClusterCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsError } from "../../src/errors/aws-errors.js";
import { SignatureVerifier } from "../../src/api/signature.js";
import { ConfigError } from "../../src/config.js";
import { Simulator, startSimulator, type RunningSimulator } from "../../src/index.js";

const KEY = { accessKeyId: "AKIAECSSIMTEST000001", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

function client(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): ECSClient {
  return new ECSClient({ endpoint, region: "eu-west-1", credentials, maxAttempts: 1 });
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, ...(e.$metadata?.httpStatusCode ? { status: e.$metadata.httpStatusCode } : {}) };
  }
  throw new Error("expected a failure");
}

const hasBoto3 = (() => {
  try {
    execFileSync("python3", ["-c", "import boto3"], { stdio: "ignore" });
    return true;
  } catch {
    console.warn("boto3 signature test skipped: python3-boto3 is not installed");
    return false;
  }
})();

/** botocore signs on its own (its own canonicalization): right key ok, wrong secret refused. */
const BOTO3 = `
import sys, boto3, botocore
def call(secret):
    c = boto3.client("ecs", endpoint_url=sys.argv[1], region_name="us-west-2", aws_access_key_id=sys.argv[2], aws_secret_access_key=secret)
    try:
        c.create_cluster(clusterName="from-boto3", tags=[{"key": "k", "value": "a b/c"}])
        return "ok"
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
print(call(sys.argv[3]), call("wrong"))
`;

describe("--verify-signatures", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ runtime: "simulated", verifySignatures: true, accessKeys: [KEY] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("accepts requests signed by a configured key (ECS and Logs)", async () => {
    const ecs = client(sim.endpoint, KEY);
    await ecs.send(new CreateClusterCommand({ clusterName: "signed" }));
    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toContain("arn:aws:ecs:eu-west-1:000000000000:cluster/signed");
    const logs = new CloudWatchLogsClient({ endpoint: sim.endpoint, region: "eu-west-1", credentials: KEY, maxAttempts: 1 });
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toBeDefined();
    ecs.destroy();
    logs.destroy();
  });

  it("answers InvalidSignatureException to a wrong secret, with AWS's message", async () => {
    const ecs = client(sim.endpoint, { accessKeyId: KEY.accessKeyId, secretAccessKey: "not-the-secret" });
    expect(await failure(ecs.send(new CreateClusterCommand({ clusterName: "forged" })))).toEqual({
      name: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      status: 400,
    });
    ecs.destroy();
  });

  it("answers UnrecognizedClientException to an unknown access key", async () => {
    const ecs = client(sim.endpoint, { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: KEY.secretAccessKey });
    expect(await failure(ecs.send(new ListClustersCommand({})))).toEqual({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
      status: 400,
    });
    ecs.destroy();
  });

  it("refuses a tampered body and an unsigned request, and changes nothing", async () => {
    const ecs = client(sim.endpoint, KEY);
    ecs.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: string };
        request.body = JSON.stringify({ clusterName: "tampered" });
        return next(args);
      },
      { step: "deserialize", priority: "low" },
    );
    expect((await failure(ecs.send(new CreateClusterCommand({ clusterName: "original" })))).name).toBe("InvalidSignatureException");
    ecs.destroy();
    const unsigned = await fetch(sim.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonEC2ContainerServiceV20141113.CreateCluster" },
      body: JSON.stringify({ clusterName: "unsigned" }),
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
    const state = (await sim.simulator.app.inject({ method: "GET", url: "/_sim/state" })).json();
    const names = state.regions.flatMap((r: { clusters: { clusterName: string }[] }) => r.clusters.map((c) => c.clusterName));
    expect(names).not.toContain("tampered");
    expect(names).not.toContain("unsigned");
  });

  it.skipIf(!hasBoto3)("verifies boto3's signatures too", async () => {
    const { stdout } = await promisify(execFile)("python3", ["-c", BOTO3, sim.endpoint, KEY.accessKeyId, KEY.secretAccessKey]);
    expect(stdout.trim()).toBe("ok InvalidSignatureException");
  });

  it("refuses to start without access keys", async () => {
    await expect(Simulator.create({ runtime: "simulated", verifySignatures: true })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("signatures by default", () => {
  it("are not checked: any credentials pass", async () => {
    const sim = await startSimulator({ runtime: "simulated" });
    try {
      const ecs = client(sim.endpoint, { accessKeyId: "anything", secretAccessKey: "whatever" });
      expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toBeDefined();
      ecs.destroy();
    } finally {
      await sim.close();
    }
  });
});

describe("task-role credentials under signature checking", () => {
  it("are accepted with their session token, refused without it", async () => {
    const issued = { secretAccessKey: "task-secret-value", sessionToken: "task-session-token" };
    const verifier = new SignatureVerifier([KEY], (id) => (id === "ASIATASKROLEKEY00001" ? issued : undefined));
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        verifier.verify({ method: req.method!, url: req.url!, headers: req.headers, body }).then(
          () => res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end('{"clusterArns":[]}'),
          (err: AwsError) => res.writeHead(err.status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(err.toBody())),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const task = new ECSClient({ endpoint, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "ASIATASKROLEKEY00001", ...issued } });
      expect((await task.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
      const noToken = new ECSClient({ endpoint, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "ASIATASKROLEKEY00001", secretAccessKey: issued.secretAccessKey } });
      expect((await failure(noToken.send(new ListClustersCommand({})))).name).toBe("UnrecognizedClientException");
      task.destroy();
      noToken.destroy();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
