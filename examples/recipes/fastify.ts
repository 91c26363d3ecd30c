// Fastify: keep the raw body (a Buffer for every content type) and let the trigger answer.
import Fastify from "fastify";
import { createIotumTrigger } from "../../generated/src/iotum/index.js";

const maxBodyBytes = 1024 * 1024;
const trigger = createIotumTrigger({ secret: process.env.IOTUM_SIGNING_TOKEN ?? "", maxBodyBytes, webhookTriggers: { recording_ready: () => true } });

const app = Fastify({ bodyLimit: maxBodyBytes });
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
app.post("/hooks/iotum", async (request, reply) => {
  const response = await trigger.handleDelivery({ method: request.method, url: request.url, headers: request.headers, body: request.body as Buffer });
  return reply.code(response.status).headers(response.headers).send(response.body);
});
await app.listen({ port: 8080 });
