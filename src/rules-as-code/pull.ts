/**
 * `rules pull`: the server's rules written into the layout. A rule already in the repository keeps
 * its file (and its tests); a new one gets a file named after it; a file whose rule the server no
 * longer holds is removed, as are the IOC lists, which pull rewrites one file per IOC type.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { iocFiles } from "./load-iocs.ts";
import { ruleFiles } from "./load-named-rules.ts";
import type { RemoteRule, RemoteState } from "./remote-state.ts";
import { IOC_FOLDER, NAMED_KINDS, type NamedKind } from "./rule-kinds.ts";
import { iocCsv, ruleFileText, slug } from "./write-files.ts";
import { parseSource } from "./yaml-source.ts";

export interface PullResult {
  written: number;
  removed: number;
  notes: string[];
}

/** Only writes when the bytes differ, so an unchanged file keeps its modification time too. */
function writeIfChanged(path: string, text: string, result: PullResult): void {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return;
  writeFileSync(path, text);
  result.written += 1;
}

function pullIocs(root: string, rules: RemoteRule[], result: PullResult): void {
  const dir = join(root, IOC_FOLDER);
  mkdirSync(dir, { recursive: true });
  const byType = new Map<string, RemoteRule[]>();
  for (const rule of rules) {
    const type = String(rule.fields.type).toLowerCase();
    const list = byType.get(type) ?? [];
    list.push(rule);
    byType.set(type, list);
  }
  const wanted = new Set([...byType.keys()].map((type) => join(dir, `${type}.csv`)));
  for (const file of iocFiles(root))
    if (!wanted.has(file)) {
      rmSync(file);
      result.removed += 1;
    }
  for (const [type, list] of byType)
    writeIfChanged(join(dir, `${type}.csv`), iocCsv(list.map((r) => r.fields)), result);
}

/** The repository's files of a kind by rule name, with the tests each holds. */
function existingFiles(kind: NamedKind, root: string): Map<string, { file: string; tests: unknown }> {
  const byName = new Map<string, { file: string; tests: unknown }>();
  for (const file of ruleFiles(join(root, kind.folder))) {
    const value = parseSource(file, readFileSync(file, "utf8")).value as Record<string, unknown> | undefined;
    if (typeof value?.name === "string" && !byName.has(value.name))
      byName.set(value.name, { file, tests: value.tests });
  }
  return byName;
}

function pullNamed(kind: NamedKind, root: string, rules: RemoteRule[], result: PullResult): void {
  const dir = join(root, kind.folder);
  mkdirSync(dir, { recursive: true });
  const existing = existingFiles(kind, root);
  const taken = new Set([...existing.values()].map((e) => basename(e.file)));
  const written = new Set<string>();
  for (const rule of rules) {
    let target = existing.get(rule.key);
    if (!target || written.has(target.file)) {
      let name = `${slug(rule.key)}.yaml`;
      for (let n = 2; taken.has(name); n++) name = `${slug(rule.key)}-${n}.yaml`;
      taken.add(name);
      target = { file: join(dir, name), tests: undefined };
      if (existing.has(rule.key))
        result.notes.push(`${kind.kind} name '${rule.key}' is used by more than one rule on the server`);
    }
    written.add(target.file);
    const fields = target.tests === undefined ? rule.fields : { ...rule.fields, tests: target.tests };
    writeIfChanged(target.file, ruleFileText(kind, fields, target.file.endsWith(".json")), result);
  }
  for (const file of ruleFiles(dir))
    if (!written.has(file)) {
      rmSync(file);
      result.removed += 1;
    }
}

export function pullInto(root: string, remote: RemoteState): PullResult {
  const result: PullResult = { written: 0, removed: 0, notes: remote.skipped.map((s) => `${s.kind}: ${s.reason}`) };
  const skipped = new Set(remote.skipped.map((s) => s.kind));
  pullIocs(
    root,
    remote.rules.filter((r) => r.kind === "ioc"),
    result,
  );
  for (const kind of NAMED_KINDS)
    if (!skipped.has(kind.kind))
      pullNamed(
        kind,
        root,
        remote.rules.filter((r) => r.kind === kind.kind),
        result,
      );
  return result;
}
