import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ProviderModel } from "./model.js";
import { changelogEntry, classify, countLevels, levelOf, lockOf, nextVersion, providersOf, type ReleaseLock } from "./release.js";

const changelogTitle = [
  "# Changelog",
  "",
  "What each release of the generated package changed for consumers, from `npm run generate -- --release`,",
  "event by event with the JSON pointer of each change (`*`: any array item or map value):",
  "**breaking** when an event was removed or an existing event's type got wider (code that compiled",
  "may stop compiling) or narrower (deliveries that validated may be refused); **feature** for new",
  "events, new optional fields and new deprecations; **fix** for descriptions and examples, and rules",
  "loosened without changing a type. Entries up to 0.1.2 use the earlier words: major, minor (which",
  "then included types widened and fields made optional), patch.",
  "",
].join("\n");

/**
 * `npm run generate -- --release`: the files a release changes — the version in package.json and
 * package-lock.json, CHANGELOG.md and schemas/release.lock.json — from the difference between the
 * schemas and those of the last release, held by the lock. The first run, without a lock, writes
 * the lock at the current version.
 */
export async function release({ root, schemasDir, providers, today }: { root: string; schemasDir: string; providers: readonly ProviderModel[]; today: string }): Promise<{ changed: boolean; message: string }> {
  const lockFile = path.join(schemasDir, "release.lock.json");
  const manifestFile = path.join(root, "package.json");
  const changelogFile = path.join(root, "CHANGELOG.md");
  const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as { version: string };
  const current = providers.map((provider) => ({ name: provider.name, events: provider.events.map((e) => e.source), shared: provider.shared.map((s) => s.source) }));
  const lock = await readFile(lockFile, "utf8").then((text) => JSON.parse(text) as ReleaseLock, () => undefined);
  if (!lock) {
    await writeLock(lockFile, lockOf(manifest.version, current));
    return { changed: true, message: `No ${path.relative(root, lockFile)} yet: wrote it for the schemas as they are, released as ${manifest.version}.` };
  }
  const changes = classify(providersOf(lock), current);
  const level = levelOf(changes);
  if (!level) return { changed: false, message: `Nothing changed for consumers since ${lock.version}: no release.` };
  const version = nextVersion(lock.version, level);
  const changelog = await readFile(changelogFile, "utf8").catch(() => "");
  const entries = changelog.search(/^## /m) < 0 ? "" : changelog.slice(changelog.search(/^## /m)); // the preamble is rewritten
  await writeFile(changelogFile, `${changelogTitle}\n${changelogEntry(version, today, changes)}\n${entries}`.trimEnd() + "\n");
  await writeFile(manifestFile, (await readFile(manifestFile, "utf8")).replace(/"version": "[^"]*"/, `"version": "${version}"`));
  await setLockfileVersion(path.join(root, "package-lock.json"), version);
  await writeLock(lockFile, lockOf(version, current));
  return { changed: true, message: `Release ${version} (${level}: ${countLevels(changes)}); wrote package.json, package-lock.json, CHANGELOG.md and ${path.relative(root, lockFile)}.` };
}

/** Keeps npm's lockfile naming the same version as package.json, so that `npm ci` stays quiet. */
async function setLockfileVersion(file: string, version: string): Promise<void> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return;
  const lockfile = JSON.parse(text) as { version?: string; packages?: Record<string, { version?: string }> };
  lockfile.version = version;
  if (lockfile.packages?.[""]) lockfile.packages[""].version = version;
  await writeFile(file, `${JSON.stringify(lockfile, null, 2)}\n`);
}

function writeLock(file: string, lock: ReleaseLock): Promise<void> {
  return writeFile(file, `${JSON.stringify(lock, null, 1)}\n`);
}
