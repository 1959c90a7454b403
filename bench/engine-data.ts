/** Seeded synthetic rules and events for the engine benchmark. */
import { createHash } from "node:crypto";
import type { FilterNode, FilterTree } from "../src/domain/bioc/bioc-tree.ts";
import type { IocType, Severity } from "../src/domain/ioc/ioc-model.ts";
import type { BiocEntry } from "../src/engine/bioc-index.ts";
import type { IocEntry } from "../src/engine/ioc-index.ts";
import { seededRandom } from "./lib.ts";

const SEVERITIES: Severity[] = ["SEV_010_INFO", "SEV_020_LOW", "SEV_030_MEDIUM", "SEV_040_HIGH", "SEV_050_CRITICAL"];
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/** The value of rule number i: 60% hashes, 15% IPs, 15% domains, 5% file names, 5% paths. */
export function iocValue(i: number): [IocType, string] {
  const bucket = i % 20;
  if (bucket < 10) return ["HASH", sha256(`ioc${i}`)];
  if (bucket < 12) return ["HASH", md5(`ioc${i}`)];
  if (bucket < 15) return ["IP", `${10 + (i % 200)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`];
  if (bucket < 18) return ["DOMAIN_NAME", `c2-${i}.bad${i % 97}.example`];
  if (bucket < 19) return ["FILENAME", `dropper${i}.exe`];
  return ["PATH", `c:\\users\\public\\drop${i}\\payload.exe`];
}

export function* iocEntries(count: number): Generator<IocEntry> {
  for (let i = 0; i < count; i++) {
    const [type, canonical] = iocValue(i);
    yield {
      ruleId: i + 1,
      canonical,
      indicator: canonical,
      type,
      severity: SEVERITIES[i % 5] as Severity,
      expirationDate: -1,
    };
  }
}

const TYPES = ["PROCESS_EXECUTION_EVENT", "FILE_EVENT", "NETWORK_CONNECTION_EVENT", "REGISTRY_EVENT"];
const leaf = (field: string, type: string, value: string): FilterNode =>
  ({ SEARCH_FIELD: field, SEARCH_TYPE: type, SEARCH_VALUE: value }) as FilterNode;

/** 90% of the rules need an exact process name (so the index narrows them); 10% must be tried on every event. */
export function biocEntries(count: number): (BiocEntry & { tree: FilterTree })[] {
  return Array.from({ length: count }, (_, i) => {
    const investigationType = TYPES[i % TYPES.length] as string;
    const filter: FilterNode =
      i % 10 === 0
        ? {
            OR: [
              leaf("action_process_image_command_line", "CONTAINS", `-payload${i}`),
              leaf("action_file_name", "WILDCARD", `*.stage${i}`),
            ],
          }
        : {
            AND: [
              leaf("action_process_image_name", "EQ", `tool${i}.exe`),
              {
                OR: [
                  leaf("action_process_image_command_line", "CONTAINS", "-enc"),
                  leaf("action_file_path", "REGEX", "\\\\temp\\\\"),
                ],
              },
            ],
          };
    return {
      ruleId: i + 1,
      name: `bioc ${i}`,
      severity: "SEV_030_MEDIUM",
      tree: { investigationType, investigation: { [investigationType]: { filter } } },
    };
  });
}

const EVENT_TYPES = ["PROCESS", "FILE", "NETWORK", "REGISTRY"];

/**
 * NDJSON lines of realistic size, made in batches so a million of them are never all in memory
 * (as in a real stream); about 1% carry a known-bad hash, 1% a matching process name.
 */
export function* eventBatches(
  count: number,
  iocCount: number,
  biocCount: number,
  batch = 10_000,
  seed = 7,
): Generator<string[]> {
  const random = seededRandom(seed);
  let lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const hit = random() < 0.01;
    const tool = random() < 0.01 ? `tool${Math.floor(random() * biocCount)}.exe` : `app${i % 500}.exe`;
    const event = {
      event_type: EVENT_TYPES[i % 4],
      agent_hostname: `host-${i % 1000}`,
      action_file_sha256: hit ? iocValue(Math.floor((random() * iocCount) / 20) * 20)[1] : sha256(`event${i}`),
      actor_process_image_sha256: sha256(`actor${i % 5000}`),
      actor_process_image_name: "explorer.exe",
      action_process_image_name: tool,
      action_process_image_command_line: `${tool} -enc ZQBjAGgAbwA= /x ${i}`,
      action_file_name: `doc${i % 10000}.docx`,
      action_file_path: `c:\\users\\u${i % 300}\\temp\\doc${i % 10000}.docx`,
      action_remote_ip: `${172}.${(i >> 8) & 255}.${i & 255}.${i % 7}`,
      dns_query_name: `www${i % 3000}.example.com`,
      action_remote_port: 443,
      event_timestamp: 1_767_000_000_000 + i,
    };
    lines.push(JSON.stringify(event));
    if (lines.length === batch) {
      yield lines;
      lines = [];
    }
  }
  if (lines.length > 0) yield lines;
}
