import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { providers, root } from "./support.js";

/**
 * The numbers and names the READMEs state that the schemas, package.json and the tests could
 * contradict: each is checked here, so that a change that makes one of them false fails.
 */
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const readme = read("README.md");
const packageReadme = read("generated/README.md");
const manifest = JSON.parse(read("package.json")) as { version: string; engines: { node: string }; scripts: Record<string, string>; allowScripts?: Record<string, boolean>; overrides?: Record<string, string> };
const packageManifest = JSON.parse(read("generated/package.json")) as { version: string; engines: { node: string }; devDependencies: Record<string, string> };
const lockfile = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean; optional?: boolean; os?: string[]; cpu?: string[] }> };
const loaded = await providers();
const eventCount = loaded.reduce((sum, provider) => sum + provider.events.length, 0);

describe("README.md states what the project does", () => {
  it(`counts the documented events as the schemas do (${eventCount})`, () => {
    expect(readme).toMatch(/documented event \((\d+) today\)/);
    expect(Number(/documented event \((\d+) today\)/.exec(readme)![1])).toBe(eventCount);
  });

  it("names every provider's entry point, and no other", () => {
    const sentence = /validators, per provider \(([^)]*)\)/.exec(readme)![1]!;
    expect([...sentence.matchAll(/`confhooks\/([a-z0-9-]+)`/g)].map((m) => m[1]).sort()).toEqual(loaded.map((p) => p.name).sort());
  });

  it("names the Node versions package.json's engines allow, in both READMEs", () => {
    expect(readme).toContain(`"engines": { "node": "${manifest.engines.node}" }`);
    expect(readme).toContain(`Node ${manifest.engines.node.split(" || ").map((range) => `${/(\d+\.?\d*)/.exec(range)![1]!.replace(/\.0$/, "")}+`).join(", ").replace(/, ([^,]*)$/, " or $1")} (`);
    const minimum = /^>=(\d+\.\d+)$/.exec(packageManifest.engines.node)![1]!;
    expect(packageReadme).toMatch(new RegExp(`Node\\s+≥ ${minimum.replace(".", "\\.")}\\b`));
  });

  it("names no tarball of another version than package.json's", () => {
    for (const text of [readme, packageReadme]) for (const [, version] of text.matchAll(/confhooks-(\d+\.\d+\.\d+)\.tgz/g)) expect(version).toBe(packageManifest.version);
  });

  it("gives every express.raw a limit (its 100 kB default refuses deliveries the trigger accepts)", () => {
    const recipes = readdirSync(path.join(root, "examples/recipes")).map((file) => read(`examples/recipes/${file}`));
    for (const text of [readme, packageReadme, ...recipes]) for (const [call] of text.matchAll(/express\.raw\([^)]*\)/g)) expect(call).toMatch(/limit/);
  });

  it("points only at files and folders that exist", () => {
    const paths = [...readme.matchAll(/`((?:\.ci|bench|examples|generated|generator|schemas|templates|test)\/[^`\s<>*]*)`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(5);
    for (const file of paths) expect(() => statSync(path.join(root, file)), file).not.toThrow();
  });

  it("counts and names the generated package's devDependencies as its package.json does, in README.md and in build.mjs", () => {
    const names = Object.keys(packageManifest.devDependencies);
    expect(names.length).toBe(2);
    expect(readme).toMatch(/its two devDependencies, TypeScript and\s+`@types\/node`/);
    const build = read("generated/build.mjs");
    expect(build).toContain("this package's two devDependencies, typescript and @types/node");
    for (const name of names) expect(build).toContain(name);
  });

  it("says how many inputs the property-based tests get, as package.json and test/fuzz.test.ts do", () => {
    expect(readme).toMatch(/10⁵ inputs per property and provider \(`npm test` runs 300\)/);
    expect(manifest.scripts.fuzz).toMatch(/FUZZ_RUNS=100000 /);
    expect(read("test/fuzz.test.ts")).toContain("Number(process.env.FUZZ_RUNS ?? 300)");
  });
});

describe("package.json's promises about its dependencies", () => {
  // npm's own range logic: the semver package, a dependency of several of ours (hoisted to node_modules/).
  const semver = createRequire(import.meta.url)("semver") as { subset(sub: string, dom: string): boolean; minVersion(range: string): { version: string } };

  it(`every locked package supports every Node version the engines field allows (${manifest.engines.node})`, () => {
    const unsupported = Object.entries(lockfile.packages)
      .filter(([name, entry]) => name !== "" && entry.engines && !Array.isArray(entry.engines) && entry.engines.node && !(entry.optional && (entry.os || entry.cpu)))
      .filter(([, entry]) => !semver.subset(manifest.engines.node, (entry.engines as { node: string }).node))
      .map(([name, entry]) => `${name}@${entry.version}: node ${(entry.engines as { node: string }).node}`);
    expect(unsupported).toEqual([]);
  });

  it("declares, in allowScripts, every locked package with an install script (true: runs, false: refused)", () => {
    const withScripts = [...new Set(Object.entries(lockfile.packages).filter(([, entry]) => entry.hasInstallScript).map(([name]) => name.slice(name.lastIndexOf("node_modules/") + "node_modules/".length)))].sort();
    expect(withScripts.length).toBeGreaterThan(0);
    expect(Object.keys(manifest.allowScripts ?? {}).sort()).toEqual(withScripts);
  });
});
