/** The longest line the default log writes, and the longest value a message echoes. */
const maxLine = 500;
const maxValue = 100;

/** `text` cut to `max` characters, saying how long it was. */
export function clip(text: string, max = maxLine): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/**
 * A value a sender chose (an event type, a field name, a token's claim), as JSON for a message,
 * shortened when it is long: a 20 kB type name must not become a 20 kB log line. Never throws.
 */
export function quote(value: unknown, max = maxValue): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    return "(a value too deep to show)";
  }
  return json.length <= max + 2 ? json : `${json.slice(0, max)}… (${json.length} characters)`;
}
