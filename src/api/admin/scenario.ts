import type { FastifyInstance } from "fastify";
import { ScenarioError, toScenario } from "../../scenario/parse.js";
import type { ScenarioView } from "../../scenario/runner.js";
import type { Scenario } from "../../scenario/schema.js";
import { badRequest } from "./errors.js";

export interface ScenarioAdminDeps {
  load(scenario: Scenario): Promise<ScenarioView>;
  view(): ScenarioView | undefined;
  cancel(): void;
}

/**
 * Scenario routes (simulator-only):
 *   POST   /_sim/scenario   load a scenario (YAML or JSON body): build its world, schedule its timeline
 *   GET    /_sim/scenario   what is scheduled, what has fired, what failed
 *   DELETE /_sim/scenario   cancel what has not fired and end the faults still in force
 * Bad input is a 400 `{ error: "BadRequest", message }` naming the line and field.
 */
export function registerScenarioRoutes(app: FastifyInstance, deps: ScenarioAdminDeps): void {
  app.post("/_sim/scenario", async (request, reply) => {
    const text = typeof request.body === "string" || Buffer.isBuffer(request.body) ? request.body.toString() : "";
    if (text.trim() === "") return badRequest(reply, "body must be a scenario document (YAML or JSON)");
    try {
      return await deps.load(toScenario(text, "body"));
    } catch (err) {
      // Includes a world call that the API refused: the scenario is wrong, not the simulator.
      if (err instanceof ScenarioError) return badRequest(reply, err.message);
      throw err;
    }
  });

  app.get("/_sim/scenario", async (_request, reply) => {
    const view = deps.view();
    if (!view) return reply.code(404).send({ error: "NotFound", message: "no scenario is loaded" });
    return view;
  });

  app.delete("/_sim/scenario", async () => {
    deps.cancel();
    return { status: "cancelled" };
  });
}
