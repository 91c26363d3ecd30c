/**
 * Lays out json-schema-to-typescript's unformatted output (`format: false`, which skips its
 * prettier pass and halves its cost): two-space indentation by brace depth, and the semicolons
 * that end members and type aliases. Its output is regular — one member or brace per line,
 * JSDoc blocks, string literals only in types — so a brace count outside strings is enough.
 */
export function layoutDeclarations(text: string): string {
  const out: string[] = [];
  let depth = 0;
  let inTypeAlias = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") {
      out.push("");
      continue;
    }
    if (line.startsWith("/**") || line.startsWith("*")) {
      out.push(`${"  ".repeat(depth)}${line.startsWith("*") ? " " : ""}${line}`);
      continue;
    }
    const { opens, closes, leadingCloses } = countBraces(line);
    if (depth === 0 && line.startsWith("export type ")) inTypeAlias = true;
    depth -= leadingCloses;
    const indent = "  ".repeat(depth);
    depth += opens - (closes - leadingCloses);
    const endsMember = !line.endsWith("{") && (depth > 0 || inTypeAlias);
    out.push(`${indent}${line}${endsMember ? ";" : ""}`);
    if (depth === 0 && !line.endsWith("{")) inTypeAlias = false;
  }
  return out.join("\n");
}

function countBraces(line: string): { opens: number; closes: number; leadingCloses: number } {
  let opens = 0;
  let closes = 0;
  let leadingCloses = 0;
  let quote: string | undefined;
  let leading = true;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "{") opens++;
    else if (char === "}") {
      closes++;
      if (leading) leadingCloses++;
    }
    if (char !== "}") leading = false;
  }
  return { opens, closes, leadingCloses };
}
