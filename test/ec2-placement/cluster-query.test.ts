import { describe, expect, it } from "vitest";
import { InvalidParameterException } from "../../src/errors/aws-errors.js";
import { compileClusterQuery, filterByQuery, type QueryTarget } from "../../src/scheduler/ec2-placement/index.js";
import { instance } from "./fixtures.js";

function target(over: Partial<QueryTarget> & { attrs?: Record<string, string | null> } = {}): QueryTarget {
  const { attrs, ...rest } = over;
  return {
    ec2InstanceId: "i-abcd1234",
    agentConnected: true,
    agentVersion: "1.14.5",
    registeredAt: Date.parse("2018-02-13T00:00:00Z"),
    runningTasksCount: 0,
    attributes: new Map(Object.entries(attrs ?? {})),
    taskGroups: [],
    ...rest,
  };
}

const t2small = target({ attrs: { "ecs.instance-type": "t2.small", "ecs.availability-zone": "us-east-1a" } });
const t2medium = target({ attrs: { "ecs.instance-type": "t2.medium", "ecs.availability-zone": "us-east-1b" } });
const g2d = target({ attrs: { "ecs.instance-type": "g2.2xlarge", "ecs.availability-zone": "us-east-1d" } });
const g2a = target({ attrs: { "ecs.instance-type": "g2.2xlarge", "ecs.availability-zone": "us-east-1a" } });
const m5c = target({ attrs: { "ecs.instance-type": "m5.large", "ecs.availability-zone": "us-east-1c" } });

const matches = (expression: string, t: QueryTarget) => compileClusterQuery(expression)(t);

describe("cluster query language: the developer guide's examples", () => {
  it("string equality selects instances of the instance type", () => {
    const q = "attribute:ecs.instance-type == t2.small";
    expect(matches(q, t2small)).toBe(true);
    expect(matches(q, t2medium)).toBe(false);
  });

  it("an argument list selects instances in us-east-1a or us-east-1b", () => {
    const q = "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]";
    expect([t2small, t2medium, g2d, m5c].map((t) => matches(q, t))).toEqual([true, true, false, false]);
  });

  it("a compound expression selects G2 instances not in us-east-1d", () => {
    const q = "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d";
    expect([g2a, g2d, t2small].map((t) => matches(q, t))).toEqual([true, false, false]);
  });

  it("task affinity selects instances hosting tasks of service:production", () => {
    const q = "task:group == service:production";
    expect(matches(q, target({ taskGroups: ["service:production", "family:x"] }))).toBe(true);
    expect(matches(q, target({ taskGroups: ["service:staging"] }))).toBe(false);
    expect(matches(q, target())).toBe(false);
  });

  it("task anti-affinity selects instances not hosting tasks of the database group", () => {
    const q = "not(task:group == database)";
    expect(matches(q, target({ taskGroups: ["database"] }))).toBe(false);
    expect(matches(q, target({ taskGroups: ["web"] }))).toBe(true);
    expect(matches(q, target())).toBe(true);
  });

  it("running task count selects instances running exactly one task", () => {
    const q = "runningTasksCount == 1";
    expect([0, 1, 2].map((n) => matches(q, target({ runningTasksCount: n })))).toEqual([false, true, false]);
  });

  it("agent version selects agents below 1.14.5, compared as versions", () => {
    const q = "agentVersion < 1.14.5";
    expect(["1.14.4", "1.9.0", "1.14.5", "1.20.0"].map((v) => matches(q, target({ agentVersion: v })))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("registration time selects instances registered before February 13, 2018", () => {
    const q = "registeredAt < 2018-02-13";
    expect(matches(q, target({ registeredAt: Date.parse("2018-02-12T23:59:59Z") }))).toBe(true);
    expect(matches(q, target({ registeredAt: Date.parse("2018-02-13T00:00:00Z") }))).toBe(false);
  });

  it("EC2 instance id with a quoted argument list", () => {
    const q = "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']";
    expect(matches(q, target({ ec2InstanceId: "i-wxyx7890" }))).toBe(true);
    expect(matches(q, target({ ec2InstanceId: "i-00000000" }))).toBe(false);
  });

  it("the list-container-instances filter examples", () => {
    expect(matches("attribute:ecs.instance-type == g2.2xlarge", g2a)).toBe(true);
    const prod = target({ attrs: { stack: "prod" } });
    const dev = target({ attrs: { stack: "dev" } });
    const none = target();
    expect([prod, dev, none].map((t) => matches("attribute:stack == prod", t))).toEqual([true, false, false]);
    // "instances with the custom attribute stack unless the value is prod": no stack, no match.
    expect([prod, dev, none].map((t) => matches("attribute:stack != prod", t))).toEqual([false, true, false]);
    expect([t2small, t2medium, g2a].map((t) => matches("attribute:ecs.instance-type in [t2.small, t2.medium]", t))).toEqual([
      true,
      true,
      false,
    ]);
    const q = "attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a";
    expect([t2small, t2medium, g2a].map((t) => matches(q, t))).toEqual([true, false, false]);
  });

  it("the placement constraint examples (T2 instances, the databases group)", () => {
    expect(matches("attribute:ecs.instance-type =~ t2.*", t2medium)).toBe(true);
    expect(matches("attribute:ecs.instance-type =~ t2.*", m5c)).toBe(false);
    expect(matches("task:group == databases", target({ taskGroups: ["databases"] }))).toBe(true);
  });
});

describe("cluster query language: operators, precedence and forms", () => {
  it("word operators mean the same as the symbols", () => {
    const t = target({ attrs: { n: "5" }, runningTasksCount: 3 });
    const pairs: [string, string][] = [
      ["attribute:n == 5", "attribute:n equals 5"],
      ["attribute:n != 4", "attribute:n not_equals 4"],
      ["attribute:n > 4", "attribute:n greater_than 4"],
      ["attribute:n >= 5", "attribute:n greater_than_equal 5"],
      ["attribute:n < 6", "attribute:n less_than 6"],
      ["attribute:n <= 5", "attribute:n less_than_equal 5"],
      ["attribute:n in [4, 5]", "attribute:n in [4, 5]"],
      ["attribute:n !in [1, 2]", "attribute:n not_in [1, 2]"],
      ["attribute:n =~ [0-9]", "attribute:n matches [0-9]"],
      ["attribute:n !~ x.*", "attribute:n not_matches x.*"],
      ["attribute:n exists", "attribute:n exists"],
      ["attribute:zz !exists", "attribute:zz not_exists"],
    ];
    for (const [symbol, word] of pairs) {
      expect(matches(symbol, t), symbol).toBe(true);
      expect(matches(word, t), word).toBe(true);
    }
  });

  it("numeric attributes compare as numbers, others as strings", () => {
    expect(matches("attribute:n > 9", target({ attrs: { n: "10" } }))).toBe(true);
    expect(matches("attribute:color < green", target({ attrs: { color: "blue" } }))).toBe(true);
  });

  it("name-only attributes exist; missing attributes fail every comparison but !exists", () => {
    const t = target({ attrs: { "ecs.capability.task-eni": null } });
    expect(matches("attribute:ecs.capability.task-eni exists", t)).toBe(true);
    expect(matches("attribute:ecs.capability.task-eni-trunking exists", t)).toBe(false);
    expect(matches("attribute:ecs.capability.task-eni-trunking !exists", t)).toBe(true);
    expect(matches("attribute:missing !in [a]", t)).toBe(false);
    expect(matches("attribute:missing !~ a", t)).toBe(false);
  });

  it("patterns match the whole value (Java's Pattern.matches)", () => {
    const t = target({ attrs: { "ecs.instance-type": "m5.2xlarge" } });
    expect(matches("attribute:ecs.instance-type =~ m5", t)).toBe(false);
    expect(matches("attribute:ecs.instance-type =~ m5\\..*", t)).toBe(true);
    expect(matches("attribute:ecs.instance-type =~ '(m5|c5)\\.2xlarge'", t)).toBe(true);
  });

  it("not binds tighter than and, and tighter than or; parentheses override", () => {
    const t = target({ attrs: { a: "1", b: "1" } });
    expect(matches("attribute:a == 1 or attribute:b == 2 and attribute:a == 2", t)).toBe(true);
    expect(matches("(attribute:a == 1 or attribute:b == 2) and attribute:a == 2", t)).toBe(false);
    expect(matches("not attribute:a == 2 and attribute:b == 1", t)).toBe(true);
    expect(matches("!(attribute:a == 1) || attribute:b == 1", t)).toBe(true);
    expect(matches("attribute:a == 1 && !attribute:b == 1", t)).toBe(false);
  });

  it("task:group negations mean that no task of the instance is in the group", () => {
    const t = target({ taskGroups: ["web", "database"] });
    expect(matches("task:group != database", t)).toBe(false);
    expect(matches("task:group != cache", t)).toBe(true);
    expect(matches("task:group in [cache, web]", t)).toBe(true);
    expect(matches("task:group !in [cache, web]", t)).toBe(false);
    expect(matches("task:group =~ data.*", t)).toBe(true);
    expect(matches("task:group exists", target())).toBe(false);
  });

  it("agentConnected and registeredAt in all documented date formats", () => {
    expect(matches("agentConnected == false", target({ agentConnected: false }))).toBe(true);
    expect(matches("agentConnected == true", target({ agentConnected: false }))).toBe(false);
    const at = target({ registeredAt: Date.parse("2018-06-18T22:28:28Z") });
    for (const d of ["2018-06-18T22:28:28+00:00", "2018-06-18T22:28:28Z", "2018-06-18T22:28:28"]) {
      expect(matches(`registeredAt == ${d}`, at), d).toBe(true);
    }
    expect(matches("registeredAt >= 2018-06-18", at)).toBe(true);
    expect(matches("registeredAt > 2018-06-18T23:28:28+02:00", at)).toBe(true);
  });
});

describe("cluster query language: malformed expressions are InvalidParameterException", () => {
  const bad: [string, string][] = [
    ["", "empty expression"],
    ["attribute:ecs.instance-type", "operator missing after 'attribute:ecs.instance-type'"],
    ["attribute:ecs.instance-type ==", "argument missing at end of expression"],
    ["attribute:a == 1 and", "unexpected end of expression"],
    ["(attribute:a == 1", "missing ')'"],
    ["attribute:a == 1)", "unexpected ')' at position 16"],
    ["instanceType == t2.small", "unknown subject 'instanceType' at position 0"],
    ["attribute: == x", "attribute name missing after 'attribute:'"],
    ["ec2InstanceId > i-1", "operator '>' is not valid for ec2InstanceId"],
    ["runningTasksCount =~ 1", "operator '=~' is not valid for runningTasksCount"],
    ["runningTasksCount == one", "invalid number 'one' for runningTasksCount"],
    ["registeredAt < yesterday", "invalid date 'yesterday' for registeredAt"],
    ["registeredAt < 2018-02-30", "invalid date '2018-02-30' for registeredAt"],
    ["agentVersion < latest", "invalid version 'latest' for agentVersion"],
    ["attribute:a in a, b", "an argument list [a, b, ...] is required at position 15"],
    ["attribute:a in [a, b", "missing ']'"],
    ["attribute:a =~ '(unclosed'", "invalid pattern '(unclosed'"],
    ["attribute:a == 'open", "unterminated quoted string at position 15"],
    ["attribute:a == 1 attribute:b == 2", "unexpected 'attribute:b' at position 17"],
  ];
  for (const [expression, detail] of bad) {
    it(JSON.stringify(expression), () => {
      let error: unknown;
      try {
        compileClusterQuery(expression);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect((error as Error).message).toBe(`Invalid cluster query expression '${expression}': ${detail}.`);
    });
  }
});

describe("filtering instances (ListContainerInstances filter)", () => {
  it("keeps the instances the query selects, in order", () => {
    const instances = [
      instance("a", { type: "t3.small", az: "us-east-1a" }),
      instance("b", { type: "m5.large", az: "us-east-1a" }),
      instance("c", { type: "t3.medium", az: "us-east-1b" }),
    ];
    const q = compileClusterQuery("attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone == us-east-1a");
    expect(filterByQuery(instances, q).map((i) => i.ec2InstanceId)).toEqual(["i-a"]);
    expect(filterByQuery(instances, compileClusterQuery("ec2InstanceId in [i-b, i-c]")).map((i) => i.ec2InstanceId)).toEqual(["i-b", "i-c"]);
  });
});

describe("patterns inside parentheses and without spaces", () => {
  it("a pattern ends at a space or at the parenthesis that closes its group", () => {
    const t2 = target({ attrs: { "ecs.instance-type": "t2.micro", zone: "a" } });
    expect(matches("not(attribute:ecs.instance-type =~ t2.*)", t2)).toBe(false);
    expect(matches("(attribute:ecs.instance-type =~ (t2|t3)\\..* or attribute:zone == b)", t2)).toBe(true);
    expect(matches("attribute:ecs.instance-type==t2.micro&&attribute:zone!=b", t2)).toBe(true);
  });
});
