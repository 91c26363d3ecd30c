import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSchemas, type JsonSchema, type LoadedProvider, type SchemaFile } from "../generator/load.js";
import { buildModel } from "../generator/model.js";
import { changelogEntry, classify, levelOf, lockOf, nextVersion, providersOf, type Level } from "../generator/release.js";
import { release } from "../generator/release-files.js";
import { providers, root } from "./support.js";

/** `npm run generate -- --release`: each kind of schema edit classified for consumers, then the files a release writes. (test/release-oracle.test.ts checks the classification against TypeScript and instances.) */
const whereby = (await providers()).filter((provider) => provider.name === "whereby");

/** The whereby schemas after `edit`, which gets a copy of the provider and each file's schema by its path below schemas/whereby/. */
function after(edit: (file: (name: string) => JsonSchema, copy: { events: SchemaFile[]; shared: SchemaFile[] }) => void): LoadedProvider[] {
  const clone = structuredClone(whereby[0]!);
  const copy = { ...clone, events: [...clone.events], shared: [...clone.shared] };
  edit((name) => [...copy.events, ...copy.shared].find((f) => f.path === `whereby/${name}`)!.schema, copy);
  return [copy];
}

const joined = "room.client.joined.schema.json";
const shown = (changes: ReturnType<typeof classify>) => changes.map((c) => `${c.event}: ${c.pointer} ${c.message} (${c.level})`).join("\n");

describe("--release classifies each kind of schema edit by its effect on consumers", () => {
  const cases: { name: string; level: Level; message: RegExp; edit: Parameters<typeof after>[0] }[] = [
    { name: "a description", level: "fix", message: /^room\.client\.joined:  description changed \(fix\)$/m, edit: (file) => (file(joined).description = "Reworded.") },
    { name: "an example", level: "fix", message: /^room\.client\.joined:  examples changed/m, edit: (file) => ((file(joined).examples as { id: string }[])[0]!.id = "another") },
    { name: "a description in common/, for every event that uses it", level: "fix", message: /room\.client\.left: \/data\/roleName description changed/, edit: (file) => (file("common/role-name.schema.json").description = "Reworded.") },
    { name: "an optional field added", level: "feature", message: /^room\.client\.joined: \/data\/mood added \(feature\)$/m, edit: (file) => ((file("common/client-join-leave-data.schema.json").properties as JsonSchema).mood = { type: "string", description: "x" }) },
    { name: "an event added", level: "feature", message: /^room\.client\.waved:  added \(feature\)$/m, edit: (file, copy) => copy.events.push({ file: "schemas/whereby/room.client.waved.schema.json", path: "whereby/room.client.waved.schema.json", base: "room.client.waved", schema: { ...file(joined), $id: "https://confhooks.dev/schemas/whereby/room.client.waved.schema.json" } }) },
    { name: "an event deprecated", level: "feature", message: /^room\.client\.joined:  deprecated \(feature\)$/m, edit: (file) => (file(joined).deprecated = true) },
    { name: "an enum value added (code switching over it may stop compiling)", level: "breaking", message: /\/data\/roleName also accepts "janitor"/, edit: (file) => (file("common/role-name.schema.json").enum as string[]).push("janitor") },
    { name: "a type widened", level: "breaking", message: /\/data\/numClients also accepts string/, edit: (file) => (((file("common/client-join-leave-data.schema.json").properties as any).numClients.type = ["integer", "string"])) },
    { name: "a field made optional", level: "breaking", message: /\/data\/roleName made optional/, edit: (file) => { const s = file("common/client-join-leave-data.schema.json"); s.required = (s.required as string[]).filter((r) => r !== "roleName"); } },
    { name: "a field removed", level: "breaking", message: /\/data\/roleName removed/, edit: (file) => { const s = file("common/client-join-leave-data.schema.json"); delete (s.properties as JsonSchema).roleName; s.required = (s.required as string[]).filter((r) => r !== "roleName"); } },
    { name: "a field made required", level: "breaking", message: /\/data\/meetingId made required/, edit: (file) => (file("common/in-room-data.schema.json").required as string[]).push("meetingId") },
    { name: "an enum value removed", level: "breaking", message: /\/data\/roleName no longer accepts "assistant"/, edit: (file) => { const s = file("common/role-name.schema.json"); s.enum = (s.enum as string[]).filter((v) => v !== "assistant"); } },
    { name: "a type narrowed", level: "breaking", message: /\/data\/roomSessionId no longer accepts null/, edit: (file) => (((file("common/in-room-data.schema.json").properties as any).roomSessionId.type = "string")) },
    { name: "a common/ part renamed (its exported type goes with it)", level: "breaking", message: /^common\/role-name:  removed: its type is no longer exported \(breaking\)$/m, edit: (_file, copy) => (copy.shared = copy.shared.map((f) => (f.base === "role-name" ? { ...f, path: "whereby/common/role.schema.json" } : f))) },
    { name: "an event removed", level: "breaking", message: /^room\.client\.knocked:  removed \(breaking\)$/m, edit: (_file, copy) => (copy.events = copy.events.filter((f) => f.base !== "room.client.knocked")) },
  ];
  for (const { name, level, message, edit } of cases) {
    it(`${name}: ${level}`, () => {
      const changes = classify(whereby, after(edit));
      expect(levelOf(changes), shown(changes)).toBe(level);
      expect(shown(changes)).toMatch(message);
    });
  }

  it("nothing changed: no release; the lock holds the schemas and gives them back", () => {
    expect(classify(whereby, whereby)).toEqual([]);
    expect(classify(providersOf(lockOf("1.0.0", whereby)), whereby)).toEqual([]);
    expect(levelOf([])).toBeUndefined();
  });

  it("proposes the semantic version: before 1.0.0 a breaking release bumps the minor number, any other the patch number", () => {
    expect((["breaking", "feature", "fix"] as const).map((level) => nextVersion("1.4.2", level))).toEqual(["2.0.0", "1.5.0", "1.4.3"]);
    expect((["breaking", "feature", "fix"] as const).map((level) => nextVersion("0.3.1", level))).toEqual(["0.4.0", "0.3.2", "0.3.2"]);
  });

  it("writes each event's changes with their pointers in the CHANGELOG, highest level first", () => {
    const changes = classify(whereby, after((file) => {
      file(joined).description = "Reworded.";
      (file("common/role-name.schema.json").enum as string[]).push("janitor");
    }));
    expect(changelogEntry("0.2.0", "2026-12-01", changes)).toBe([
      "## 0.2.0 — 2026-12-01",
      "",
      "**breaking** release: 2 breaking, 0 feature, 1 fix change(s) in 2 event(s).",
      "",
      "### whereby",
      "",
      '- `room.client.joined` (breaking): `/data/roleName` also accepts "janitor" (breaking); description changed (fix)',
      '- `room.client.left` (breaking): `/data/roleName` also accepts "janitor" (breaking)',
      "",
    ].join("\n"));
  });
});

describe("--release writes the version, the CHANGELOG and the lock", () => {
  const scratch = mkdtemp(path.join(tmpdir(), "confhooks-release-"));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it("from the lock of the last release: a new optional field or a new event is a feature (patch number before 1.0.0), an enum value added is breaking", async () => {
    const project = path.join(await scratch, "project");
    const schemasDir = path.join(project, "schemas");
    await cp(path.join(root, "schemas/whereby"), path.join(schemasDir, "whereby"), { recursive: true });
    await writeFile(path.join(project, "package.json"), `{\n  "name": "x",\n  "version": "0.3.1"\n}\n`);
    await writeFile(path.join(project, "package-lock.json"), `${JSON.stringify({ name: "x", version: "0.3.1", lockfileVersion: 3, packages: { "": { name: "x", version: "0.3.1" } } }, null, 2)}\n`);
    await writeFile(path.join(project, "CHANGELOG.md"), "# Changelog\n\nAn older preamble.\n\n## 0.3.1 — 2026-11-01\n\nminor release: 1 change(s).\n");
    const run = async () => release({ root: project, schemasDir, providers: buildModel(await loadSchemas(schemasDir, project)), today: "2026-12-01" });
    const edit = async (name: string, change: (schema: any) => void) => {
      const file = path.join(schemasDir, "whereby", name);
      const schema = JSON.parse(await readFile(file, "utf8"));
      change(schema);
      await writeFile(file, JSON.stringify(schema));
    };
    const version = async () => [JSON.parse(await readFile(path.join(project, "package.json"), "utf8")).version, JSON.parse(await readFile(path.join(project, "package-lock.json"), "utf8")).packages[""].version];

    expect(await run()).toMatchObject({ changed: true, message: expect.stringMatching(/wrote it for the schemas as they are, released as 0\.3\.1/) });
    expect(await run()).toEqual({ changed: false, message: "Nothing changed for consumers since 0.3.1: no release." });

    await edit("common/client-join-leave-data.schema.json", (s) => (s.properties.mood = { type: "string", description: "How they feel." }));
    expect(await run()).toMatchObject({ changed: true, message: "Release 0.3.2 (feature: 0 breaking, 2 feature, 0 fix); wrote package.json, package-lock.json, CHANGELOG.md and schemas/release.lock.json." });
    expect(await version()).toEqual(["0.3.2", "0.3.2"]);

    const waved = JSON.parse(await readFile(path.join(schemasDir, "whereby", joined), "utf8"));
    waved.$id = waved.$id.replace(joined, "room.client.waved.schema.json");
    waved.properties.type.const = "room.client.waved";
    await writeFile(path.join(schemasDir, "whereby/room.client.waved.schema.json"), JSON.stringify(waved));
    expect(await run()).toMatchObject({ changed: true, message: expect.stringMatching(/^Release 0\.3\.3 \(feature: 0 breaking, 1 feature, 0 fix\)/) });

    await edit("common/role-name.schema.json", (s) => s.enum.push("janitor"));
    expect(await run()).toMatchObject({ changed: true, message: expect.stringMatching(/^Release 0\.4\.0 \(breaking: \d+ breaking, 0 feature, 0 fix\)/) });
    expect(await version()).toEqual(["0.4.0", "0.4.0"]);

    const changelog = await readFile(path.join(project, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(/^# Changelog\n\nWhat each release[\s\S]*\*\*breaking\*\* when[\s\S]*\n\n## 0\.4\.0 — 2026-12-01\n\n\*\*breaking\*\* release:/);
    expect(changelog).toContain('- `room.client.joined` (breaking): `/data/roleName` also accepts "janitor" (breaking)');
    expect(changelog).toContain("## 0.3.3 — 2026-12-01\n\n**feature** release: 0 breaking, 1 feature, 0 fix change(s) in 1 event(s).\n\n### whereby\n\n- `room.client.waved` (feature): added (feature)\n");
    expect(changelog).toContain("- `room.client.joined` (feature): `/data/mood` added (feature)");
    expect(changelog).toMatch(/\n## 0\.3\.1 — 2026-11-01\n\nminor release: 1 change\(s\)\.\n$/);
    expect(changelog).not.toContain("An older preamble");
    expect(JSON.parse(await readFile(path.join(schemasDir, "release.lock.json"), "utf8")).version).toBe("0.4.0");
    expect(await run()).toMatchObject({ changed: false });
  });
});
