/**
 * Where a JSON text stops being JSON, found by the generator itself: `JSON.parse` says that the
 * text is broken, but how it says where is the engine's own wording, which changes between
 * versions. This scanner follows RFC 8259 and reports the first offending character (or the
 * end of the text) as a 1-based line and column, with what was expected there.
 */
export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The first syntax error of `text`, or `undefined` when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = 0;
  const fail = (expected: string): never => {
    throw new Found(at, at < text.length ? `unexpected ${describe(text.codePointAt(at)!)}, expected ${expected}` : `unexpected end of the file, expected ${expected}`);
  };
  const space = () => {
    while (at < text.length && (text[at] === " " || text[at] === "\t" || text[at] === "\n" || text[at] === "\r")) at++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail(`"${word}"`);
      at++;
    }
  };
  const digits = (what: string) => {
    if (!(text[at]! >= "0" && text[at]! <= "9")) fail(what);
    while (text[at]! >= "0" && text[at]! <= "9") at++;
  };
  const number = () => {
    if (text[at] === "-") at++;
    if (text[at] === "0") at++;
    else digits("a digit");
    if (text[at] === ".") (at++, digits("a digit after the decimal point"));
    if (text[at] === "e" || text[at] === "E") {
      at++;
      if (text[at] === "+" || text[at] === "-") at++;
      digits("a digit in the exponent");
    }
  };
  const string = () => {
    at++; // the opening quote
    for (;;) {
      if (at >= text.length) fail('a closing "');
      const code = text.charCodeAt(at);
      if (code === 0x22) return void at++;
      if (code < 0x20) fail('a character other than a control character (escape it) or a closing "');
      if (code === 0x5c) {
        at++;
        if (text[at] === "u") {
          at++;
          for (let i = 0; i < 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[at] ?? "")) fail("four hexadecimal digits after \\u");
            at++;
          }
        } else if (text[at] !== undefined && '"\\/bfnrt'.includes(text[at]!)) at++;
        else fail('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u');
      } else at++;
    }
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === "{") {
      at++;
      space();
      if (text[at] === "}") return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail('a property name in double quotes');
        string();
        space();
        if (text[at] !== ":") fail('":"');
        at++;
        value();
        space();
        if (text[at] === "}") return void at++;
        if (text[at] !== ",") fail('"," or "}"');
        at++;
      }
    }
    if (char === "[") {
      at++;
      space();
      if (text[at] === "]") return void at++;
      for (;;) {
        value();
        space();
        if (text[at] === "]") return void at++;
        if (text[at] !== ",") fail('"," or "]"');
        at++;
      }
    }
    if (char === '"') return string();
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) return number();
    if (char === "t") return literal("true");
    if (char === "f") return literal("false");
    if (char === "n") return literal("null");
    fail("a value");
  };
  try {
    value();
    space();
    if (at < text.length) fail("the end of the file after the value");
    return undefined;
  } catch (error) {
    if (!(error instanceof Found)) throw error;
    const before = text.slice(0, error.offset);
    const lineStart = before.lastIndexOf("\n") + 1;
    return { line: before.split("\n").length, column: [...text.slice(lineStart, error.offset)].length + 1, message: error.message };
  }
}

class Found extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function describe(code: number): string {
  if (code === 0xfeff) return "byte order mark (save the file as UTF-8 without BOM)";
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return JSON.stringify(String.fromCodePoint(code));
}
