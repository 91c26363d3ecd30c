/** An answer to a delivery, framework-free: hand it to any server. */
export interface DeliveryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const jsonHeaders = { "content-type": "application/json; charset=utf-8" };

export function reply(status: number, body: unknown): DeliveryResponse {
  return { status, headers: jsonHeaders, body: JSON.stringify(body) };
}

/** The answer to a delivery whose events all went well. */
export function acknowledged(counts: { readonly events: number; readonly unknown: number; readonly invalid: number; readonly duplicates: number }): DeliveryResponse {
  return reply(200, { ok: true, ...counts });
}
