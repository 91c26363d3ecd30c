/** A problem in one input file, located by its path and a JSON pointer inside it. */
export class SchemaError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly detail: string,
  ) {
    super(`${file}${pointer ? `#${pointer}` : ""}: ${detail}`);
    this.name = "SchemaError";
  }
}

/** Every problem found in one run, so a contributor can fix them all at once. */
export class SchemaErrors extends Error {
  constructor(readonly errors: readonly SchemaError[]) {
    super(`${errors.length} schema problem${errors.length === 1 ? "" : "s"}:\n${errors.map((e) => `  ${e.message}`).join("\n")}`);
    this.name = "SchemaErrors";
  }
}

/** Escapes one JSON pointer token (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}
