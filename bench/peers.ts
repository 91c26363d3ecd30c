// What users would pick instead of confhooks, measured against it on one signed Whereby delivery
// in the same alternating rounds: Stripe's constructEvent (the same `t=,v1=` HMAC scheme, verify +
// JSON.parse, no validation), standardwebhooks' verify, and a hand-written HMAC + JSON.parse + ajv
// receiver. Ratios are confhooks ÷ peer: below 1 means confhooks is faster.
import { createHmac, timingSafeEqual } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Webhook } from "standardwebhooks";
import { built } from "./build.js";
import { compare, type CompareOptions } from "./harness.js";
import { measured, providers, secrets, signedRequest } from "./fixtures.js";
import type { Row } from "./micro.js";

const { verifyDelivery, parseDelivery } = await built<typeof import("../generated/src/index.js")>("index.js");

// Stripe's declarations are 130,000 lines and cost the project's type-check about a second (of
// eight) for one call; so the module is loaded untyped and the one method used is typed here.
interface StripeClient {
  webhooks: { constructEvent(body: string, header: string, secret: string, toleranceSeconds: number): unknown };
}
const stripeModule: string = "stripe";
const { default: Stripe } = (await import(stripeModule)) as { default: new (apiKey: string) => StripeClient };

export async function peerBenchmarks(options: CompareOptions, log: (row: Row) => void): Promise<Row[]> {
  const request = signedRequest("whereby");
  const verifyOptions = { secret: secrets.whereby, toleranceSeconds: 3600 };
  const confhooks = () => verifyDelivery("whereby", request, verifyOptions).ok && parseDelivery("whereby", request).ok;
  if (!confhooks()) throw new Error("the measured Whereby delivery does not verify and parse");

  const stripe = new Stripe("sk_test_benchmark");
  const header = request.headers["whereby-signature"]!;
  const viaStripe = () => stripe.webhooks.constructEvent(request.body, header, secrets.whereby, 3600);

  const standardSecret = Buffer.from(secrets.whereby).toString("base64");
  const webhook = new Webhook(standardSecret);
  const id = "msg_benchmark";
  const timestamp = header.slice(2, header.indexOf(","));
  const standardHeaders = {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${createHmac("sha256", Buffer.from(standardSecret, "base64")).update(`${id}.${timestamp}.${request.body}`).digest("base64")}`,
  };
  const viaStandard = () => webhook.verify(request.body, standardHeaders);

  const ajv = new Ajv2020({ strict: false });
  const whereby = providers.find((p) => p.name === "whereby")!;
  for (const { schema } of whereby.shared) ajv.addSchema(schema);
  const validate = ajv.compile(whereby.events.find((e) => e.base === measured.whereby)!.schema);
  const handWritten = () => {
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(header)!;
    const expected = createHmac("sha256", secrets.whereby).update(`${t}.${request.body}`).digest();
    if (!timingSafeEqual(expected, Buffer.from(v1!, "hex"))) throw new Error("bad signature");
    const event = JSON.parse(request.body);
    if (!validate(event)) throw new Error("invalid");
    return event;
  };
  for (const peer of [viaStripe, viaStandard, handWritten]) peer();

  const rows: Row[] = [];
  for (const [name, peer] of [
    ["Stripe constructEvent (same HMAC scheme, verify + JSON.parse, no validation)", viaStripe],
    ["standardwebhooks verify (HMAC + JSON.parse, no validation)", viaStandard],
    ["hand-written HMAC + JSON.parse + ajv compiled at start-up", handWritten],
  ] as const) {
    const result = await compare(peer, confhooks, options);
    const row: Row = { what: "confhooks verify + parse + validate, one Whereby delivery", baseline: name, goal: "reported", met: true, result };
    rows.push(row);
    log(row);
  }
  return rows;
}
