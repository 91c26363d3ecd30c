/** A piece of JSON text between the values the serialiser writes. */
class Raw {
  constructor(readonly text: string) {}
}
const [open, close, openArray, closeArray, comma] = ["{", "}", "[", "]", ","].map((text) => new Raw(text)) as [Raw, Raw, Raw, Raw, Raw];

/**
 * `JSON.stringify(value)` for a decoded JSON value, however deeply nested: the native one
 * recurses and throws a `RangeError` past a few thousand levels, which a sender controls. The
 * same text (key order, escapes, numbers), built with a stack of its own when the native one
 * gives up.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Raw) out.push(item.text);
    else if (typeof item !== "object" || item === null) out.push(JSON.stringify(item) ?? "null");
    else if (Array.isArray(item)) {
      stack.push(closeArray);
      for (let index = item.length - 1; index >= 0; index--) {
        const element: unknown = item[index];
        stack.push(element === undefined || typeof element === "function" || typeof element === "symbol" ? null : element);
        if (index > 0) stack.push(comma);
      }
      stack.push(openArray);
    } else {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => {
        const field = record[key];
        return field !== undefined && typeof field !== "function" && typeof field !== "symbol";
      });
      stack.push(close);
      for (let index = keys.length - 1; index >= 0; index--) {
        stack.push(record[keys[index]!], new Raw(`${JSON.stringify(keys[index])}:`));
        if (index > 0) stack.push(comma);
      }
      stack.push(open);
    }
  }
  return out.join("");
}
