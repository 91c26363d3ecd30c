import { credentials, fail, headerTitle, matchesAny, once, secretList, verified, type Mechanism, type VerifyContext, type VerifyResult } from "./mechanism.js";
import type { TokenSpec } from "./provider.js";
import type { ReceivedRequest } from "./request.js";

/** A static value in a header (raw, or after a scheme such as `Bearer`), compared in constant time. */
export const token: Mechanism<TokenSpec> = {
  credential: (spec) => once(credentials, spec, () => `the ${headerTitle(spec.header)} header${spec.scheme ? ` (${spec.scheme})` : ""}`),
  present: (spec, request) => request.header(spec.header) !== undefined,
  needs: (spec) => (spec.option === undefined ? [] : [spec.option]),

  plan: (spec, request, context) => checkToken(spec, request, context),

  async sign(spec, draft, context) {
    const value = spec.option === undefined ? context.secret : secretList(context.options[spec.option])![0]!;
    draft.headers[spec.header] = spec.scheme === undefined ? value : `${spec.scheme} ${value}`;
  },
};

/** A token's verdict: it never needs a digest. */
export function checkToken(spec: TokenSpec, request: ReceivedRequest, context: VerifyContext): VerifyResult {
  const where = token.credential(spec);
  const expected = spec.option === undefined ? context.secrets : (secretList(context.options[spec.option]) ?? []);
  const value = request.header(spec.header);
  if (value === undefined) return fail("signature", `${where} is missing`);
  const given = spec.scheme === undefined ? value : withoutScheme(value, spec.scheme);
  if (given === undefined) return fail("signature", `${where} does not use the ${spec.scheme} scheme`);
  return matchesAny(given, expected) ? verified : fail("signature", `${where} does not match${spec.option ? ` ${spec.option}` : ""}`);
}

/** The value after `scheme` (matched in any case, then spaces or tabs), or `undefined`. */
export function withoutScheme(value: string, scheme: string): string | undefined {
  if (value.slice(0, scheme.length).toLowerCase() !== scheme.toLowerCase()) return undefined; // a shorter value too
  const rest = /^[ \t]+(.*)/s.exec(value.slice(scheme.length)); // `.*` with the s flag: to the end
  return rest?.[1];
}
