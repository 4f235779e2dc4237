import { describe, expect, it } from "vitest";
import { ThrottlingException } from "../../src/errors/aws-errors.js";

describe("AWS errors", () => {
  it("are answers, not faults: no stack trace is captured, and other errors still get theirs", () => {
    const err = new ThrottlingException("Rate exceeded");
    expect(err.message).toBe("Rate exceeded");
    expect(err.toBody()).toEqual({ __type: "ThrottlingException", message: "Rate exceeded" });
    expect(err.stack ?? "").not.toMatch(/\n\s+at /);
    expect(new Error("fault").stack).toMatch(/\n\s+at /);
  });
});
