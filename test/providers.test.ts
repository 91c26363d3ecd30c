import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { loadSchemas } from "../generator/load.js";
import { generate } from "../generator/pipeline.js";
import { writeTree } from "../generator/write.js";
import * as node from "../generated/src/index.js";
import * as web from "../generated/src/web.js";
import { providerBattery } from "./battery.js";
import { optionsFor, providers, root, secretFor } from "./support.js";

// Every provider folder under schemas/, through the same battery: no provider list here.
for (const provider of await providers()) providerBattery({ web, node }, provider);

/**
 * A provider that exists only as a folder under test/providers/: a Standard Webhooks sender
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> …` over
 * `id.timestamp.body`, `whsec_` secrets), generated into a folder of its own.
 */
const schemas = path.join(root, "test/providers");
const out = path.join(root, "node_modules/.cache/confhooks-test-providers");
await rm(out, { recursive: true, force: true });
await mkdir(path.dirname(out), { recursive: true });
await writeTree(out, (await generate({ root, schemasDir: schemas })).files);
const testProviders = await loadSchemas(schemas, root);
const testPackage = {
  web: (await import(path.join(out, "src/web.ts"))) as Record<string, any>,
  node: (await import(path.join(out, "src/index.ts"))) as Record<string, any>,
};
for (const provider of testProviders) providerBattery(testPackage, provider);

describe("the test-only providers' package", () => {
  it("type-checks under the strictest settings consumers use", () => {
    const options: ts.CompilerOptions = {
      strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noImplicitOverride: true, noUnusedLocals: true,
      noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ["node"],
    };
    const program = ts.createProgram([path.join(out, "src/index.ts"), path.join(out, "src/web.ts")], options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
  }, 30_000);
});

describe("standard-webhooks (a test-only provider) against the standardwebhooks package", () => {
  const provider = testProviders.find((p) => p.name === "standard-webhooks")!;
  const secret = secretFor(provider);
  const options = optionsFor(provider);
  const event = (provider.events[0]!.schema.examples as unknown[])[0];
  const theirs = new Webhook(secret);

  it("has a whsec_ secret the package accepts", () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  });

  it("verifies what standardwebhooks signs, one signature or several in one header", () => {
    const body = JSON.stringify(event);
    const at = new Date();
    const signature = theirs.sign("msg_1", at, body);
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature };
    expect(testPackage.node.verifyDelivery("standard-webhooks", { headers, body }, options)).toEqual({ ok: true });
    const several = { ...headers, "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")} v2,ignored ${signature}` };
    expect(testPackage.node.verifyDelivery("standard-webhooks", { headers: several, body }, options)).toEqual({ ok: true });
    expect(testPackage.node.verifyDelivery("standard-webhooks", { headers: { ...headers, "webhook-id": "msg_2" }, body }, options)).toMatchObject({ ok: false, error: { code: "signature" } });
  });

  it("signs what standardwebhooks verifies, and the parsed event is keyed by webhook-id", async () => {
    const signed = await testPackage.web.signDelivery("standard-webhooks", event, options);
    expect(theirs.verify(signed.body, signed.headers)).toEqual(event);
    expect(() => new Webhook(`whsec_${Buffer.from("another-secret-of-24-bytes").toString("base64")}`).verify(signed.body, signed.headers)).toThrow();
    const parsed = testPackage.web.parseDelivery("standard-webhooks", signed);
    expect(parsed).toMatchObject({ ok: true, events: [{ type: "user.created", key: signed.headers["webhook-id"] }] });
  });
});
