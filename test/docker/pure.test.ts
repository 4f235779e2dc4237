/** The Docker runtime's pure parts: these run with or without an engine. */
import { describe, expect, it } from "vitest";
import { cannotPullReason, parseDockerConfig, qualifiedRef, rewriteImage } from "../../src/runtime/docker/index.js";
import { lookupSecret, parseEnvFile } from "../../src/runtime/docker/secrets.js";
import { checkSafety } from "../../src/runtime/docker/safety.js";
import { buildContainerOptions } from "../../src/runtime/docker/container-options.js";
import { TaskStartError } from "../../src/runtime/types.js";
import { taskSpec } from "./helpers.js";
import { dockerNetworkMode, instanceBindings } from "../../src/runtime/docker/port-publishing.js";
import { containerMetadata } from "../../src/runtime/docker/metadata-shapes.js";
import { containerLabels, LABEL_CONTAINER_INSTANCE, LABEL_EC2_INSTANCE } from "../../src/runtime/docker/labels.js";

const INSTANCE = {
  arn: "arn:aws:ecs:us-east-1:000000000000:container-instance/docker-test/0123456789abcdef0123456789abcdef",
  ec2InstanceId: "i-0123456789abcdef0",
  hostPorts: {},
};

describe("Docker runtime pure pieces", () => {
  const config = parseDockerConfig({});

  it("rewrites ECR references to local names, user rules first", () => {
    expect(rewriteImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2", config)).toBe("team/app:1.2");
    expect(rewriteImage("public.ecr.aws/docker/library/nginx:1", config)).toBe("nginx:1");
    expect(rewriteImage("nginx:1", config)).toBe("nginx:1");
    const custom = parseDockerConfig({ imageRewrites: [{ from: "^registry\\.corp/(.*)$", to: "mirror/$1" }] });
    expect(rewriteImage("registry.corp/x:1", custom)).toBe("mirror/x:1");
    expect(() => parseDockerConfig({ imageRewrites: [{ from: "(", to: "" }] })).toThrow();
  });

  it("words pull failures as Fargate does", () => {
    expect(qualifiedRef("does-not-exist")).toBe("docker.io/library/does-not-exist:latest");
    expect(qualifiedRef("org/app:1")).toBe("docker.io/org/app:1");
    expect(qualifiedRef("localhost:5000/app")).toBe("localhost:5000/app:latest");
    expect(cannotPullReason("does-not-exist:latest", "(HTTP code 404) unexpected - pull access denied for does-not-exist, repository does not exist")).toBe(
      "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/does-not-exist:latest: docker.io/library/does-not-exist:latest: not found",
    );
  });

  it("finds secrets by ARN, name, JSON key and SSM parameter", () => {
    const values = { "db-creds": '{"password":"pw"}', "/app/token": "tok", plain: "v" };
    expect(lookupSecret("arn:aws:secretsmanager:us-east-1:000000000000:secret:db-creds-AbCdEf:password::", values)).toBe("pw");
    expect(lookupSecret("arn:aws:ssm:us-east-1:000000000000:parameter/app/token", values)).toBe("tok");
    expect(lookupSecret("plain", values)).toBe("v");
    expect(lookupSecret("arn:aws:secretsmanager:us-east-1:000000000000:secret:other-AbCdEf", values)).toBeUndefined();
    expect(parseEnvFile("# c\nA=1\nB=x=y\n\nbad\n")).toEqual({ A: "1", B: "x=y" });
  });

  it("refuses host-affecting settings unless allowed, naming the setting", () => {
    const reasonOf = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(TaskStartError);
        return (e as TaskStartError).stoppedReason;
      }
      return "";
    };
    expect(reasonOf(() => checkSafety(taskSpec([{}], { networkMode: "host" }), config))).toContain("docker.allowHostNetwork");
    expect(reasonOf(() => checkSafety(taskSpec([{ linuxParameters: { capabilities: { add: ["SYS_ADMIN"] } } }]), config))).toContain(
      "docker.allowCapabilities",
    );
    expect(reasonOf(() => checkSafety(taskSpec([{ linuxParameters: { devices: [{ hostPath: "/dev/fuse" }] } }]), config))).toContain("docker.allowDevices");
    const hostVol = taskSpec([{ mountPoints: [{ sourceVolume: "h", containerPath: "/h" }] }], { volumes: [{ name: "h", host: { sourcePath: "/etc" } }] });
    expect(reasonOf(() => checkSafety(hostVol, config))).toContain("docker.allowHostMounts");
    expect(reasonOf(() => checkSafety(hostVol, parseDockerConfig({ allowHostMounts: true })))).toBe("");
    expect(reasonOf(() => checkSafety({ ...taskSpec([{}]), pidMode: "host" } as never, config))).toContain("docker.allowHostPidIpc");
  });

  it("runs host mode on a container instance in a namespace of its own unless docker.ec2HostNetwork is host", () => {
    const onInstance = taskSpec([{}], { networkMode: "host", launchType: "EC2", containerInstance: INSTANCE });
    expect(dockerNetworkMode(onInstance, config)).toBe("bridge");
    expect(() => checkSafety(onInstance, config)).not.toThrow();
    const real = parseDockerConfig({ ec2HostNetwork: "host" });
    expect(dockerNetworkMode(onInstance, real)).toBe("host");
    expect(() => checkSafety(onInstance, real)).toThrow(/docker\.allowHostNetwork/);
    expect(() => checkSafety(onInstance, parseDockerConfig({ ec2HostNetwork: "host", allowHostNetwork: true }))).not.toThrow();
    // No container instance (nothing placed the task): this machine's namespace, as before.
    expect(dockerNetworkMode(taskSpec([{}], { networkMode: "host" }), config)).toBe("host");
    expect(dockerNetworkMode(taskSpec([{}], { networkMode: "bridge", containerInstance: INSTANCE }), config)).toBe("bridge");
    expect(dockerNetworkMode(taskSpec([{}], { networkMode: "awsvpc", containerInstance: INSTANCE }), config)).toBe("awsvpc");
  });

  it("publishes a task on a container instance on ports Docker picks and reports the instance's host ports", () => {
    const mappings = [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }, { containerPort: 53, protocol: "udp" as const }, { containerPort: 80, hostPort: 8080 }];
    const spec = taskSpec([{ name: "web", portMappings: mappings }], { networkMode: "bridge", launchType: "EC2", containerInstance: INSTANCE });
    const o = buildContainerOptions(spec, spec.containers[0]!, "img", {}, {}, { mode: "bridge", networkName: "n" });
    expect(o.HostConfig!.PortBindings).toEqual({
      "80/tcp": [
        { HostIp: "127.0.0.1", HostPort: "" },
        { HostIp: "127.0.0.1", HostPort: "" },
      ],
      "443/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
      "53/udp": [{ HostIp: "127.0.0.1", HostPort: "" }],
    });
    // On no container instance a fixed hostPort is this machine's port, as before.
    const plain = taskSpec([{ name: "web", portMappings: mappings }], { networkMode: "bridge" });
    expect(buildContainerOptions(plain, plain.containers[0]!, "img", {}, {}, { mode: "bridge", networkName: "n" }).HostConfig!.PortBindings!["443/tcp"]).toEqual([
      { HostIp: "127.0.0.1", HostPort: "8443" },
    ]);

    const info = {
      NetworkSettings: {
        Ports: {
          "80/tcp": [
            { HostIp: "127.0.0.1", HostPort: "32768" },
            { HostIp: "127.0.0.1", HostPort: "32769" },
          ],
          "443/tcp": [{ HostIp: "127.0.0.1", HostPort: "32770" }],
          "53/udp": [{ HostIp: "127.0.0.1", HostPort: "32771" }],
        },
      },
    } as never;
    const { reported, published } = instanceBindings(spec.containers[0]!, [49153, 8443, 49153, 8080], info);
    expect(reported).toEqual([
      { bindIP: "0.0.0.0", containerPort: 80, hostPort: 49153, protocol: "tcp" },
      { bindIP: "0.0.0.0", containerPort: 443, hostPort: 8443, protocol: "tcp" },
      { bindIP: "0.0.0.0", containerPort: 53, hostPort: 49153, protocol: "udp" },
      { bindIP: "0.0.0.0", containerPort: 80, hostPort: 8080, protocol: "tcp" },
    ]);
    expect(published.map((b) => b.hostPort)).toEqual([32768, 32770, 32771, 32769]);
    expect(published.every((b) => b.bindIP === "127.0.0.1")).toBe(true);
  });

  it("shows a bridge container's bindings in metadata v4 as ECS reports them", () => {
    const spec = taskSpec([{ name: "web", portMappings: [{ containerPort: 80 }] }], { networkMode: "bridge", launchType: "EC2", containerInstance: INSTANCE });
    const container = {
      spec: spec.containers[0]!,
      status: "RUNNING",
      labels: {},
      networkBindings: [{ bindIP: "0.0.0.0", containerPort: 80, hostPort: 49153, protocol: "tcp" }],
    };
    const meta = containerMetadata({ spec, containers: new Map([["web", container]]) } as never, container as never, undefined, {});
    expect(meta["Ports"]).toEqual([{ ContainerPort: 80, Protocol: "tcp", HostPort: 49153, HostIp: "0.0.0.0" }]);
    const awsvpc = taskSpec([{ name: "web", portMappings: [{ containerPort: 80 }] }]);
    expect(containerMetadata({ spec: awsvpc } as never, { ...container, spec: awsvpc.containers[0]! } as never, undefined, {})["Ports"]).toBeUndefined();
  });

  it("labels every container of a task on a container instance with the instance", () => {
    const spec = taskSpec([{ name: "app" }], { networkMode: "bridge", launchType: "EC2", containerInstance: INSTANCE });
    expect(containerLabels("sim-1", spec, spec.containers[0]!, "container")).toMatchObject({
      [LABEL_CONTAINER_INSTANCE]: INSTANCE.arn,
      [LABEL_EC2_INSTANCE]: "i-0123456789abcdef0",
    });
    expect(Object.keys(containerLabels("sim-1", taskSpec([{ name: "app" }]), { name: "app" }, "container"))).not.toContain(LABEL_EC2_INSTANCE);
  });

  it("maps limits and Linux parameters onto Docker's create options", () => {
    const spec = taskSpec([
      {
        name: "app",
        cpu: 128,
        memory: 256,
        memoryReservation: 128,
        ulimits: [{ name: "nofile", softLimit: 1024, hardLimit: 4096 }],
        readonlyRootFilesystem: true,
        linuxParameters: { initProcessEnabled: true, tmpfs: [{ containerPath: "/tmp", size: 64, mountOptions: ["noexec"] }] },
        healthCheck: { command: ["CMD-SHELL", "true"], interval: 5, timeout: 2, retries: 2 },
        workingDirectory: "/w",
        user: "1000",
        entryPoint: ["sh"],
        command: ["-c", "true"],
      },
    ]);
    const o = buildContainerOptions(spec, spec.containers[0]!, "img", { A: "1" }, { l: "v" }, { mode: "container", pauseId: "p" });
    expect(o.HostConfig).toMatchObject({
      NetworkMode: "container:p",
      Memory: 256 * 1048576,
      MemoryReservation: 128 * 1048576,
      CpuShares: 128,
      NanoCpus: 250_000_000,
      Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 4096 }],
      ReadonlyRootfs: true,
      Init: true,
      Tmpfs: { "/tmp": "size=64m,noexec" },
    });
    expect(o).toMatchObject({ Image: "img", Env: ["A=1"], WorkingDir: "/w", User: "1000", Entrypoint: ["sh"], Cmd: ["-c", "true"], StopTimeout: 2 });
    expect(o.Healthcheck).toMatchObject({ Test: ["CMD-SHELL", "true"], Interval: 5e9, Timeout: 2e9, Retries: 2 });
    // No faster checks during the start period (Docker 25+'s default start interval): ECS has none.
    expect(o.Healthcheck?.StartInterval).toBe(5e9);
  });
});
