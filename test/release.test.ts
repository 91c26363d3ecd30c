import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSchemas } from "../generator/load.js";
import { buildModel } from "../generator/model.js";
import { bumpOf, classify, nextVersion, surfaceOf } from "../generator/release.js";
import { release } from "../generator/release-files.js";
import { root } from "./support.js";

/** `npm run generate -- --release` on one provider's schemas, each edit of a schema classified for consumers. */
const scratch = await mkdtemp(path.join(tmpdir(), "confhooks-release-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let count = 0;
/** The whereby schemas in a folder of their own, after `edit`, loaded. */
async function schemasAfter(edit?: (read: (file: string) => Promise<any>, write: (file: string, json: unknown) => Promise<void>, dir: string) => Promise<void>) {
  const dir = path.join(scratch, `schemas-${count++}`);
  await cp(path.join(root, "schemas/whereby"), path.join(dir, "whereby"), { recursive: true });
  const file = (name: string) => path.join(dir, "whereby", name);
  await edit?.(async (name) => JSON.parse(await readFile(file(name), "utf8")), (name, json) => writeFile(file(name), JSON.stringify(json)), dir);
  return { dir, providers: await loadSchemas(dir, scratch) };
}

const before = surfaceOf((await schemasAfter()).providers);
const joined = "room.client.joined.schema.json";

describe("--release classifies each kind of schema edit", () => {
  const cases: { name: string; level: "major" | "minor" | "patch"; message: RegExp; edit: Parameters<typeof schemasAfter>[0] }[] = [
    { name: "a description", level: "patch", message: /descriptions or examples changed/, edit: async (read, write) => write(joined, { ...(await read(joined)), description: "Reworded." }) },
    { name: "an example", level: "patch", message: /descriptions or examples changed/, edit: async (read, write) => { const s = await read(joined); s.examples[0].id = "another"; await write(joined, s); } },
    { name: "an optional field added", level: "minor", message: /`\/data\/mood` added$/m, edit: async (read, write) => { const s = await read(joined); s.properties.data.properties = { ...s.properties.data.properties, mood: { type: "string", description: "x" } }; await write(joined, s); } },
    { name: "an enum value added", level: "minor", message: /roleName` also accepts "janitor"/, edit: async (read, write) => { const s = await read("common/role-name.schema.json"); s.enum.push("janitor"); await write("common/role-name.schema.json", s); } },
    { name: "a type widened", level: "minor", message: /numClients` also accepts string/, edit: async (read, write) => { const s = await read("common/client-join-leave-data.schema.json"); s.properties.numClients.type = ["integer", "string"]; await write("common/client-join-leave-data.schema.json", s); } },
    { name: "an event added", level: "minor", message: /event added/, edit: async (read, write) => { const s = await read(joined); s.$id = s.$id.replace("room.client.joined", "room.client.waved"); s.properties.type.const = "room.client.waved"; s.examples[0].type = "room.client.waved"; await write("room.client.waved.schema.json", s); } },
    { name: "an event deprecated", level: "minor", message: /event deprecated/, edit: async (read, write) => write(joined, { ...(await read(joined)), deprecated: true }) },
    { name: "a field removed", level: "major", message: /`\/data\/roleName` removed/, edit: async (read, write) => { const s = await read("common/client-join-leave-data.schema.json"); delete s.properties.roleName; s.required = s.required.filter((r: string) => r !== "roleName"); await write("common/client-join-leave-data.schema.json", s); } },
    { name: "a field made required", level: "major", message: /`\/data\/meetingId` made required/, edit: async (read, write) => { const s = await read("common/in-room-data.schema.json"); s.required.push("meetingId"); await write("common/in-room-data.schema.json", s); } },
    { name: "an enum value removed", level: "major", message: /roleName` no longer accepts "assistant"/, edit: async (read, write) => { const s = await read("common/role-name.schema.json"); s.enum = s.enum.filter((v: string) => v !== "assistant"); await write("common/role-name.schema.json", s); } },
    { name: "a type narrowed", level: "major", message: /roomSessionId` no longer accepts null/, edit: async (read, write) => { const s = await read("common/in-room-data.schema.json"); s.properties.roomSessionId.type = "string"; await write("common/in-room-data.schema.json", s); } },
    { name: "an event removed", level: "major", message: /event removed/, edit: async (_read, _write, dir) => rm(path.join(dir, "whereby/room.client.knocked.schema.json")) },
  ];
  for (const { name, level, message, edit } of cases) {
    it(`${name}: ${level}`, async () => {
      const changes = classify(before, surfaceOf((await schemasAfter(edit)).providers));
      expect(bumpOf(changes), JSON.stringify(changes)).toBe(level);
      expect(changes.map((change) => change.message).join("\n")).toMatch(message);
    });
  }

  it("nothing changed: no release", () => {
    expect(classify(before, before)).toEqual([]);
    expect(bumpOf([])).toBeUndefined();
  });

  it("proposes the semantic version: before 1.0.0 a breaking change bumps the minor number", () => {
    expect([nextVersion("1.4.2", "major"), nextVersion("1.4.2", "minor"), nextVersion("1.4.2", "patch")]).toEqual(["2.0.0", "1.5.0", "1.4.3"]);
    expect([nextVersion("0.3.1", "major"), nextVersion("0.3.1", "minor"), nextVersion("0.3.1", "patch")]).toEqual(["0.4.0", "0.3.2", "0.3.2"]);
  });
});

describe("--release writes the version, the CHANGELOG and the lock", () => {
  it("from the lock of the last release, and says so when nothing changed", async () => {
    const project = path.join(scratch, "project");
    const released = await schemasAfter();
    await cp(released.dir, path.join(project, "schemas"), { recursive: true });
    await writeFile(path.join(project, "package.json"), `{\n  "name": "x",\n  "version": "1.2.3"\n}\n`);
    await writeFile(path.join(project, "package-lock.json"), `${JSON.stringify({ name: "x", version: "1.2.3", lockfileVersion: 3, packages: { "": { name: "x", version: "1.2.3" } } }, null, 2)}\n`);
    const models = async (dir: string) => buildModel(await loadSchemas(dir, project));
    const schemasDir = path.join(project, "schemas");
    const run = async () => release({ root: project, schemasDir, providers: await models(schemasDir), today: "2026-11-24" });

    expect(await run()).toMatchObject({ changed: true, message: /wrote it for the schemas as they are, released as 1\.2\.3/ });
    expect(await run()).toEqual({ changed: false, message: "Nothing changed for consumers since 1.2.3: no release." });

    const file = path.join(schemasDir, "whereby/common/role-name.schema.json");
    const roles = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify({ ...roles, enum: [...roles.enum, "janitor"] }));
    expect(await run()).toMatchObject({ changed: true, message: /^Release 1\.3\.0 \(minor: 0 major, \d+ minor, 0 patch\)/ });
    expect(JSON.parse(await readFile(path.join(project, "package.json"), "utf8")).version).toBe("1.3.0");
    expect(JSON.parse(await readFile(path.join(project, "package-lock.json"), "utf8"))).toMatchObject({ version: "1.3.0", packages: { "": { version: "1.3.0" } } });
    const changelog = await readFile(path.join(project, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(/^# Changelog\n[\s\S]*## 1\.3\.0 — 2026-11-24\n\nminor release:[\s\S]*### whereby\n\n- `room\.client\.joined`: `\/data\/roleName` also accepts "janitor" \(minor\)/);
    expect(JSON.parse(await readFile(path.join(schemasDir, "release.lock.json"), "utf8")).version).toBe("1.3.0");
    expect(await run()).toMatchObject({ changed: false });
  });
});
