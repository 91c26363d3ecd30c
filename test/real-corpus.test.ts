import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDelivery, type DeliveryRequest, type Provider } from "../generated/src/index.js";
import { root } from "./support.js";

/** A file of test/fixtures/real/<provider>/ (format: test/fixtures/real/README.md). */
interface RealDelivery {
  readonly source: { readonly repository: string; readonly path: string; readonly commit: string } | { readonly url: string };
  readonly date: string;
  readonly release?: string;
  readonly note?: string;
  readonly request: DeliveryRequest & { readonly body: string };
  readonly expect: "accepted" | "refused";
  readonly reason?: string;
  readonly types?: readonly string[];
}

const corpus = path.join(root, "test/fixtures/real");
const providerFolders = readdirSync(corpus, { withFileTypes: true }).filter((entry) => entry.isDirectory());

for (const folder of providerFolders) {
  const provider = folder.name as Provider;
  const files = readdirSync(path.join(corpus, provider)).filter((file) => file.endsWith(".json")).sort();
  describe(`real ${provider} deliveries`, () => {
    for (const file of files) {
      it(file, () => {
        const delivery = JSON.parse(readFileSync(path.join(corpus, provider, file), "utf8")) as RealDelivery;
        expect(delivery.source, "every delivery names its source").toBeTruthy();
        expect(delivery.date, "every delivery has a date").toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
        const result = parseDelivery(provider, delivery.request);
        if (delivery.expect === "refused") {
          expect(delivery.reason, "a refused delivery says why").toBeTruthy();
          expect(result.ok, "declared refused, but parseDelivery accepted it").toBe(false);
          return;
        }
        expect(delivery.expect).toBe("accepted");
        if (!result.ok) expect.fail(`refused: ${result.error.code}: ${result.error.message}`);
        if (delivery.types) expect(result.events.map((event) => event.type)).toEqual(delivery.types);
      });
    }
  });
}
