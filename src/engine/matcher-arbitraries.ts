/**
 * Random rule sets and events for the matcher contract (test support, used by the matcher tests
 * only): the compiled matcher, and matching on worker threads, must give the linear matcher's hits
 * on whatever these produce. Every leaf shape the index narrows by appears: EQ and COMPLEX_EQ,
 * CONTAINS with short and long texts, WILDCARD prefixes, suffixes, inner runs and no star, EQ on
 * enum fields (event_type, event_sub_type: `ENUM.` prefixes, numbers), each with or without
 * EXTRA_FIELDS, under ANDs and ORs; events carry arrays and mixed case.
 */
import fc from "fast-check";
import type { FilterNode } from "../domain/bioc/bioc-tree.ts";
import type { IocType } from "../domain/ioc/ioc-model.ts";
import { canonicalIndicator } from "../domain/ioc/ioc-values.ts";
import type { BiocEntry } from "./bioc-index.ts";
import type { EndpointEvent } from "./event-model.ts";
import type { IocEntry } from "./ioc-index.ts";

export function ioc(ruleId: number, type: IocType, indicator: string, expirationDate = -1): IocEntry {
  const canonical = canonicalIndicator(type, indicator);
  if (canonical === undefined) throw new Error(`bad ${type} ${indicator}`);
  return { ruleId, canonical, indicator, type, severity: "SEV_040_HIGH", expirationDate };
}

export function bioc(ruleId: number, investigationType: string, filter: FilterNode): BiocEntry {
  return {
    ruleId,
    name: `bioc ${ruleId}`,
    severity: "SEV_030_MEDIUM",
    tree: { investigationType, investigation: { [investigationType]: { filter } } },
  };
}

export const leaf = (field: string, type: string, value?: string, extra?: string[]) =>
  ({
    SEARCH_FIELD: field,
    SEARCH_TYPE: type,
    ...(value === undefined ? {} : { SEARCH_VALUE: value }),
    ...(extra ? { EXTRA_FIELDS: extra } : {}),
  }) as FilterNode;

const WORDS = [
  "evil",
  "good",
  "aaaaaa",
  "run",
  "powershell.exe",
  "PowerShell.EXE",
  "shell -enc x",
  "1",
  "2",
  "4444",
  "x.com",
  "a.x.com",
  "b.a.x.com",
  "ENUM.Run",
  "Process",
  "3",
];
const FIELDS = [
  "action_file_name",
  "dns_query_name",
  "event_sub_type",
  "action_remote_port",
  "actor_process_image_name",
  "event_type",
] as const;

const word = fc.constantFrom(...WORDS);
const field = fc.constantFrom(...FIELDS);

/** A search value of the shape the type takes, from a word: `shape` picks among the forms. */
function valueFor(type: string, value: string, shape: number): string {
  switch (type) {
    case "GTE":
    case "LTE":
      return String(value.length);
    case "COMPLEX_EQ":
      return JSON.stringify(shape % 2 === 0 ? value : value.length);
    case "CONTAINS":
    case "NCONTAINS":
      return [value, value.slice(1, 3), value.slice(1, -1), value.slice(-4)][shape % 4] as string;
    case "WILDCARD": {
      const forms = [
        `*${value.slice(1)}`,
        `${value.slice(0, 3)}*`,
        `*${value.slice(1, -1)}*`,
        value,
        `${value.slice(0, 1)}*${value.slice(-2)}`,
        "*",
      ];
      return forms[shape % forms.length] as string;
    }
    default:
      return value;
  }
}

const leafArb = fc
  .record({
    SEARCH_FIELD: field,
    SEARCH_TYPE: fc.constantFrom(
      "EQ",
      "NEQ",
      "CONTAINS",
      "NCONTAINS",
      "WILDCARD",
      "IS_EMPTY",
      "NIS_EMPTY",
      "GTE",
      "LTE",
      "COMPLEX_EQ",
    ),
    value: word,
    shape: fc.nat(11),
    extra: fc.option(fc.subarray([...FIELDS], { minLength: 1, maxLength: 2 }), { freq: 3 }),
  })
  .map(({ SEARCH_FIELD, SEARCH_TYPE, value, shape, extra }) =>
    leaf(SEARCH_FIELD, SEARCH_TYPE, valueFor(SEARCH_TYPE, value, shape), extra ?? undefined),
  );

const { node } = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafArb,
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((children) => ({ AND: children }) as FilterNode),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((children) => ({ OR: children }) as FilterNode),
  ),
}));

const IOC_RULES: [IocType, string][] = [
  ["FILENAME", "powershell.exe"],
  ["DOMAIN_NAME", "x.com"],
  ["DOMAIN_NAME", "a.x.com"],
  ["FILENAME", "aaaaaa"],
  ["MIXED", "evil"],
];

export const ruleSetArb = fc.record({
  iocs: fc.subarray(IOC_RULES).map((picked) => picked.map(([type, value], i) => ioc(i + 1, type, value))),
  biocs: fc
    .array(fc.tuple(fc.constantFrom("FILE_EVENT", "PROCESS_EXECUTION_EVENT"), node), { maxLength: 8 })
    .map((list) => list.map(([investigation, filter], i) => bioc(100 + i, investigation, filter))),
});

export const eventArb: fc.Arbitrary<EndpointEvent> = fc.record(
  {
    event_type: fc.constantFrom("FILE", "PROCESS", "ENUM.PROCESS", 3, " file "),
    action_file_name: fc.oneof(word, fc.array(word, { maxLength: 2 })),
    dns_query_name: word,
    event_sub_type: fc.oneof(word, fc.integer({ min: 0, max: 9 }), fc.array(word, { maxLength: 2 })),
    action_remote_port: fc.integer({ min: 0, max: 20 }),
    actor_process_image_name: fc.oneof(word, fc.array(fc.oneof(word, fc.array(word, { maxLength: 2 })))),
  },
  { requiredKeys: ["event_type"] },
);
