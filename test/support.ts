import { execFile } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadSchemas, type LoadedProvider } from "../generator/load.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let loaded: Promise<LoadedProvider[]> | undefined;
/** The schemas in schemas/, read once per test file. */
export function providers(): Promise<LoadedProvider[]> {
  loaded ??= loadSchemas(path.join(root, "schemas"), root);
  return loaded;
}

/** An invalid-body case of test/fixtures/invalid/<provider>.json. */
export interface InvalidCase {
  readonly name: string;
  readonly example: string;
  readonly set?: Record<string, unknown>;
  readonly remove?: string[];
  readonly pointer: string;
  readonly keyword: string;
}

/** A deep copy of `value` with the case's `remove` and `set` pointers applied. */
export function mutate(value: unknown, { set = {}, remove = [] }: Pick<InvalidCase, "set" | "remove">): unknown {
  const copy = structuredClone(value);
  const parentOf = (pointer: string) => {
    const tokens = pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = tokens.pop()!;
    let parent = copy as Record<string, unknown>;
    for (const token of tokens) parent = parent[token] as Record<string, unknown>;
    if (typeof parent !== "object" || parent === null) throw new Error(`no parent object at ${pointer}`);
    return { parent, last };
  };
  for (const pointer of remove) {
    const { parent, last } = parentOf(pointer);
    if (!(last in parent)) throw new Error(`nothing to remove at ${pointer}`);
    delete parent[last];
  }
  for (const [pointer, value] of Object.entries(set)) {
    const { parent, last } = parentOf(pointer);
    parent[last] = value;
  }
  return copy;
}

const execFileAsync = promisify(execFile);

/** Runs the generator's command line; resolves with its exit code and output, never rejects on exit codes. */
export async function runGenerator(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ["generator/bin.mjs", ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: failed.code ?? 1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Signing material shared by the runtime tests. */
export const secrets = {
  whereby: "whsec_test",
  /** Daily secrets are base64 of at least 16 bytes: this one decodes to `daily-secret-for-tests`. */
  daily: "ZGFpbHktc2VjcmV0LWZvci10ZXN0cw==",
  bigbluebutton: "bbb-secret",
  iotum: "iotum-token",
} as const;

export const callbackUrl = "https://example.com/bbb";

/** Wraps a decoded event the way its provider puts it on the wire. */
export function encodeBody(provider: string, event: unknown): string {
  switch (provider) {
    case "iotum": {
      const { payload, ...rest } = event as { payload: unknown };
      return JSON.stringify({ ...rest, payload: JSON.stringify(payload) });
    }
    case "bigbluebutton":
      return new URLSearchParams({ domain: "bbb.example.com", event: JSON.stringify([event]), timestamp: String(Date.now()) }).toString();
    default:
      return JSON.stringify(event);
  }
}

/** Headers and URL that authenticate `body` for `provider`, computed from the documented formulas. */
export function sign(
  provider: string,
  body: string,
  { secret = secrets[provider as keyof typeof secrets] as string, at = Date.now() }: { secret?: string; at?: number } = {},
): { url: string; headers: Record<string, string> } {
  const seconds = Math.floor(at / 1000);
  switch (provider) {
    case "whereby":
      return { url: "/", headers: { "whereby-signature": `t=${seconds},v1=${createHmac("sha256", secret).update(`${seconds}.${body}`).digest("hex")}` } };
    case "daily":
      return {
        url: "/",
        headers: {
          "x-webhook-timestamp": String(seconds),
          "x-webhook-signature": createHmac("sha256", Buffer.from(secret, "base64")).update(`${seconds}.${body}`).digest("base64"),
        },
      };
    case "bigbluebutton":
      return { url: `/?checksum=${createHash("sha1").update(callbackUrl + body + secret).digest("hex")}`, headers: {} };
    default:
      return { url: "/", headers: { "x-signing-token": secret } };
  }
}
