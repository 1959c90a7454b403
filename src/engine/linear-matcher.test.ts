/** The matcher contract: the compiled matcher gives exactly the oracle's hits, on fixed cases and on random ones. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { BiocEntry } from "./bioc-index.ts";
import { CompiledMatcher } from "./compiled-matcher.ts";
import type { IocEntry } from "./ioc-index.ts";
import { LinearMatcher } from "./linear-matcher.ts";
import { bioc, eventArb, ioc, leaf, ruleSetArb } from "./matcher-arbitraries.ts";
import type { Matcher } from "./rule-hit.ts";

const NOW = 1_800_000_000_000;

function both(iocs: IocEntry[], biocs: BiocEntry[]): Matcher[] {
  return [CompiledMatcher.build(iocs, biocs), new LinearMatcher(iocs, biocs)];
}

describe("matchers", () => {
  const iocs = [
    ioc(1, "HASH", "D41D8CD98F00B204E9800998ECF8427E"),
    ioc(2, "IP", "2001:db8::1"),
    ioc(3, "DOMAIN_NAME", "evil.com"),
    ioc(4, "URL", "https://evil.com/payload"),
    ioc(5, "PATH", "C:\\Temp\\Evil.exe"),
    ioc(6, "FILENAME", "evil.exe"),
    ioc(7, "IP", "10.0.0.1", NOW - 1),
    ioc(8, "MIXED", "Exact Thing"),
  ];
  const biocs = [
    bioc(10, "FILE_EVENT", {
      AND: [
        { OR: [leaf("event_sub_type", "EQ", "1"), leaf("event_sub_type", "EQ", "2")] },
        leaf("action_file_name", "EQ", "aaaaaa"),
      ],
    }),
    bioc(11, "PROCESS_EXECUTION_EVENT", leaf("action_process_image_command_line", "CONTAINS", "-enc")),
    bioc(
      12,
      "PROCESS_EXECUTION_EVENT",
      leaf("action_process_image_name", "WILDCARD", "power*.exe", ["causality_actor_process_image_name"]),
    ),
    bioc(13, "NETWORK_CONNECTION_EVENT", {
      AND: [leaf("action_remote_port", "RANGE", "4444-4450"), leaf("action_remote_ip", "NIS_EMPTY")],
    }),
    bioc(14, "FILE_EVENT", leaf("action_file_extension", "IS_EMPTY")),
    bioc(15, "REGISTRY_EVENT", leaf("action_registry_key_name", "REGEX", "\\\\run(once)?$")),
    bioc(16, "PROCESS_EXECUTION_EVENT", leaf("actor_process_integrity_level", "GTE", "12288")),
  ];
  const cases: [Record<string, unknown>, [string, number, string][]][] = [
    [{ action_file_md5: "d41d8cd98f00b204e9800998ecf8427e" }, [["IOC", 1, "action_file_md5"]]],
    [{ action_remote_ip: "2001:DB8:0:0:0:0:0:1" }, [["IOC", 2, "action_remote_ip"]]],
    [{ dns_query_name: "A.B.Evil.COM." }, [["IOC", 3, "dns_query_name"]]],
    [{ dns_query_name: "notevil.com" }, []],
    [{ action_url: "HTTPS://EVIL.com:443/payload" }, [["IOC", 4, "action_url"]]],
    [
      { actor_process_image_path: "c:\\temp\\EVIL.EXE", action_file_name: "Evil.exe" },
      [
        ["IOC", 5, "actor_process_image_path"],
        ["IOC", 6, "action_file_name"],
      ],
    ],
    [{ action_local_ip: "10.0.0.1" }, []],
    [{ action_file_name: "Exact Thing" }, [["IOC", 8, "action_file_name"]]],
    // One rule through two fields: the field listed first for its type is reported, whatever the event's key order.
    [{ action_file_name: "Exact Thing", action_file_md5: "Exact Thing" }, [["IOC", 8, "action_file_md5"]]],
    [{ action_external_hostname: "evil.com", dns_query_name: "x.evil.com" }, [["IOC", 3, "dns_query_name"]]],
    [
      { event_type: "FILE", event_sub_type: 2, action_file_name: "AAAAAA", action_file_extension: "x" },
      [["BIOC", 10, "event_sub_type"]],
    ],
    [
      { event_type: "ENUM.FILE", event_sub_type: 3, action_file_name: "aaaaaa" },
      [["BIOC", 14, "action_file_extension"]],
    ],
    [
      {
        event_type: 1,
        action_process_image_command_line: "powershell -ENC abc",
        causality_actor_process_image_name: "PowerShell.exe",
      },
      [
        ["BIOC", 11, "action_process_image_command_line"],
        ["BIOC", 12, "causality_actor_process_image_name"],
      ],
    ],
    [
      { event_type: "NETWORK", action_remote_port: "4445", action_remote_ip: "1.2.3.4" },
      [["BIOC", 13, "action_remote_port"]],
    ],
    [{ event_type: "NETWORK", action_remote_port: 4451, action_remote_ip: "1.2.3.4" }, []],
    [
      {
        event_type: "REGISTRY",
        action_registry_key_name: "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\RUNONCE",
      },
      [["BIOC", 15, "action_registry_key_name"]],
    ],
    [{ event_type: "PROCESS", actor_process_integrity_level: 16384 }, [["BIOC", 16, "actor_process_integrity_level"]]],
    [{ event_type: "PROCESS", constructor: "x" }, []],
  ];
  for (const [index, [event, expected]] of cases.entries()) {
    it(`case ${index}: ${JSON.stringify(event).slice(0, 80)}`, () => {
      for (const matcher of both(iocs, biocs)) {
        const hits = matcher.match(event, NOW).map((h) => [h.source, h.ruleId, h.field]);
        assert.deepEqual(hits, expected, matcher.constructor.name);
      }
    });
  }

  it("gives the oracle's hits on random rules and events", () => {
    fc.assert(
      fc.property(ruleSetArb, fc.array(eventArb, { maxLength: 10 }), ({ iocs: ruleIocs, biocs: ruleBiocs }, events) => {
        const [fast, oracle] = both(ruleIocs, ruleBiocs) as [Matcher, Matcher];
        for (const e of events) assert.deepEqual(fast.match(e, NOW), oracle.match(e, NOW));
      }),
      { numRuns: 1000, seed: 42 },
    );
  });
});
