import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ProviderModel } from "./model.js";
import { bumpOf, changelogEntry, classify, nextVersion, surfaceOf, type ReleaseLock } from "./release.js";

const changelogTitle = "# Changelog\n\nWhat each release of the generated package changed for consumers, from `npm run generate -- --release`.\n";

/**
 * `npm run generate -- --release`: the files a release changes — the version in package.json
 * (and package-lock.json), CHANGELOG.md and schemas/release.lock.json — from the difference between the schemas and the
 * lock of the last release. The first run, without a lock, writes the lock at the current version.
 */
export async function release({ root, schemasDir, providers, today }: { root: string; schemasDir: string; providers: readonly ProviderModel[]; today: string }): Promise<{ changed: boolean; message: string }> {
  const lockFile = path.join(schemasDir, "release.lock.json");
  const manifestFile = path.join(root, "package.json");
  const changelogFile = path.join(root, "CHANGELOG.md");
  const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as { version: string };
  const current = surfaceOf(providers.map((provider) => ({ ...provider, manifestFile: provider.manifestFile, events: provider.events.map((e) => e.source), shared: provider.shared.map((s) => s.source) })));
  const lock = await readFile(lockFile, "utf8").then((text) => JSON.parse(text) as ReleaseLock, () => undefined);
  if (!lock) {
    await writeLock(lockFile, { version: manifest.version, providers: current });
    return { changed: true, message: `No ${path.relative(root, lockFile)} yet: wrote it for the schemas as they are, released as ${manifest.version}.` };
  }
  const changes = classify(lock.providers, current);
  const level = bumpOf(changes);
  if (!level) return { changed: false, message: `Nothing changed for consumers since ${lock.version}: no release.` };
  const version = nextVersion(lock.version, level);
  const changelog = await readFile(changelogFile, "utf8").catch(() => changelogTitle);
  const body = changelog.startsWith(changelogTitle) ? changelog.slice(changelogTitle.length) : changelog;
  await writeFile(changelogFile, `${changelogTitle}\n${changelogEntry(version, today, changes)}${body.replace(/^\n+/, "\n")}`.trimEnd() + "\n");
  await writeFile(manifestFile, (await readFile(manifestFile, "utf8")).replace(/"version": "[^"]*"/, `"version": "${version}"`));
  await setLockfileVersion(path.join(root, "package-lock.json"), version);
  await writeLock(lockFile, { version, providers: current });
  const counts = (["major", "minor", "patch"] as const).map((l) => `${changes.filter((c) => c.level === l).length} ${l}`).join(", ");
  return { changed: true, message: `Release ${version} (${level}: ${counts}); wrote package.json, CHANGELOG.md and ${path.relative(root, lockFile)}.` };
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
