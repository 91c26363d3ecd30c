import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** Folders inside generated/ that belong to builds and installs, not to the generator. */
const keptFolders = ["dist", "node_modules"];

/**
 * Replaces `outDir` with exactly `files`, all or nothing: the tree is written to a sibling
 * temporary folder first and swapped in by renames, so a failure leaves `outDir` as it was.
 * Build output (dist/, node_modules/) is carried over.
 */
export async function writeTree(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const staging = `${outDir}.tmp-${process.pid}`;
  const retired = `${outDir}.old-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [file, text] of files) {
      const target = path.join(staging, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    for (const folder of keptFolders) await moveIfPresent(path.join(outDir, folder), path.join(staging, folder));
    const hadOld = await moveIfPresent(outDir, retired);
    await rename(staging, outDir);
    if (hadOld) await rm(retired, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `writeTree` replaces the whole folder, so it must hold nothing but a previous output: refuse
 * a folder that has files but no confhooks package.json (say, `--out .` by mistake).
 */
export async function assertReplaceable(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (entries.length === 0) return;
  const manifest = await readFile(path.join(outDir, "package.json"), "utf8").catch(() => "");
  if (!/"name":\s*"confhooks"/.test(manifest)) {
    throw new Error(`${outDir} is not empty and holds no confhooks package; refusing to replace it (choose an empty or new folder for --out)`);
  }
}

export interface TreeDiff {
  /** Files whose content differs. */
  readonly changed: string[];
  /** Files the generator would write that are not on disk. */
  readonly missing: string[];
  /** Files on disk the generator would not write. */
  readonly extra: string[];
}

/** Compares `outDir` with what the generator produces; build output is ignored. */
export async function diffTree(outDir: string, files: ReadonlyMap<string, string>): Promise<TreeDiff> {
  const onDisk = new Set(await listFiles(outDir));
  const diff: TreeDiff = { changed: [], missing: [], extra: [] };
  for (const [file, text] of files) {
    if (!onDisk.has(file)) diff.missing.push(file);
    else if ((await readFile(path.join(outDir, file), "utf8")) !== text) diff.changed.push(file);
    onDisk.delete(file);
  }
  diff.extra.push(...[...onDisk].sort());
  return diff;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!(prefix === "" && keptFolders.includes(entry.name))) files.push(...(await listFiles(dir, relative)));
    } else files.push(relative);
  }
  return files;
}

async function moveIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
