import path from "node:path";

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

/**
 * A folder given on the command line (or its default) that cannot be used: `--schemas` missing,
 * not a folder, or one provider's folder; `--out` holding something else. One line, no stack.
 */
export class FolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FolderError";
  }
}

/**
 * A folder as the person who ran the command would type it: relative to where npm was started
 * (npm runs scripts in the project's root and says where it was started in INIT_CWD), or
 * absolute when it lies elsewhere.
 */
export function shownPath(folder: string): string {
  const inside = path.relative(process.env.INIT_CWD ?? process.cwd(), folder);
  return inside === "" ? "." : inside.startsWith("..") || path.isAbsolute(inside) ? folder : inside;
}
