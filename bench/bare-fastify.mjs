/**
 * The yardstick for per-request cost: a bare fastify server answering `POST /` with a fixed body
 * (the simulator's own answer to the same request, captured by the bench), parsing the request
 * body as JSON like the simulator does. Started by bench/requests.mjs as a child process.
 */
import Fastify from "fastify";

const [port, bodyFile] = process.argv.slice(2);
const { readFileSync } = await import("node:fs");
const body = readFileSync(bodyFile);
const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "string" }, (_req, raw, done) => done(null, raw));
app.post("/", (req, reply) => {
  JSON.parse(String(req.body || "{}"));
  void reply.code(200).header("content-type", "application/x-amz-json-1.1").send(body);
});
await app.listen({ port: Number(port), host: "127.0.0.1" });
console.log(`bare fastify ready at http://127.0.0.1:${port}`);
