import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileExpr, compileQuery } from "./xql-eval.ts";
import { XqlSyntaxError } from "./xql-lexer.ts";
import { parseXql } from "./xql-parser.ts";

const EVENT = {
  event_type: 1,
  action_process_image_name: "PowerShell.exe",
  action_process_image_command_line: "powershell.exe -EncodedCommand ZQBjAGgAbwA=",
  action_remote_ip: "10.1.2.3",
  action_remote_ip6: "2001:db8::5",
  action_remote_port: 4444,
  port_text: "8080",
  empty: "",
  tags: ["a", "Bravo"],
  json: '{"user": {"name": "alice", "groups": ["admins", "users"]}, "n": 3}',
  obj: { k: "v" },
  ts: Date.UTC(2026, 10, 22, 13, 45, 7),
};

function value(expression: string, event: Record<string, unknown> = EVENT): unknown {
  const query = parseXql(`alter v = ${expression}`);
  const stage = query.stages[0];
  if (stage?.kind !== "alter") throw new Error("expected alter");
  return compileExpr((stage.assignments[0] as { value: Parameters<typeof compileExpr>[0] }).value)({
    event,
    vars: undefined,
  });
}

const matches = (filter: string, event: Record<string, unknown> = EVENT) =>
  compileQuery(parseXql(`dataset = xdr_data | filter ${filter}`))(event) !== undefined;

describe("XQL evaluation", () => {
  it("compares text without regard to case, with * wildcards in = and in", () => {
    assert.ok(matches('action_process_image_name = "powershell.EXE"'));
    assert.ok(matches('action_process_image_name = "power*"'));
    assert.ok(matches('action_process_image_name = "*shell*"'));
    assert.ok(!matches('action_process_image_name = "cmd*"'));
    assert.ok(matches('action_process_image_name in ("cmd.exe", "POWERSHELL.exe")'));
    assert.ok(matches('action_process_image_name in ("cmd.exe", "pwsh*", "power*")'));
    assert.ok(matches('action_process_image_name not in ("cmd.exe")'));
    assert.ok(matches('action_process_image_name != "cmd.exe"'));
  });

  it("reads event_type as its name, whatever the event spelled", () => {
    assert.ok(matches("event_type = ENUM.PROCESS"));
    assert.ok(matches("event_type = ENUM.FILE", { event_type: "ENUM.FILE" }));
    assert.ok(!matches("event_type = ENUM.FILE"));
  });

  it("compares numbers as numbers", () => {
    assert.ok(matches("action_remote_port = 4444"));
    assert.ok(matches("action_remote_port > 1024 and action_remote_port <= 4444"));
    assert.ok(matches("port_text >= 8000"));
    assert.ok(!matches("action_remote_port < 100"));
    assert.ok(matches('action_remote_port = "4444"'));
  });

  it("contains, ~= and their negations", () => {
    assert.ok(matches('action_process_image_command_line contains "-encodedcommand"'));
    assert.ok(matches('action_process_image_command_line not contains "-nop"'));
    assert.ok(matches('action_process_image_command_line ~= "-enc(odedcommand)?\\s+[a-z0-9=]+"'));
    assert.ok(!matches('action_process_image_command_line ~= "^cmd"'));
    assert.ok(matches('tags contains "bravo"'));
  });

  it("incidr and incidr6, as operators and functions", () => {
    assert.ok(matches('action_remote_ip incidr "10.0.0.0/8"'));
    assert.ok(matches('action_remote_ip incidr "192.168.0.0/16, 10.1.0.0/16"'));
    assert.ok(matches('action_remote_ip not incidr "172.16.0.0/12"'));
    assert.ok(matches('action_remote_ip6 incidr6 "2001:db8::/32"'));
    assert.ok(!matches('action_remote_ip6 incidr6 "2001:db9::/32"'));
    assert.equal(value('incidr(action_remote_ip, "10.1.2.0/24")'), true);
  });

  it("treats nulls as XQL does: they match nothing but = null", () => {
    assert.ok(matches("missing = null"));
    assert.ok(matches("action_remote_port != null"));
    assert.ok(!matches('missing = "x"'));
    assert.ok(!matches('missing != "x"'));
    assert.ok(!matches('missing contains "x"'));
    assert.ok(!matches('missing not in ("x")'));
    assert.ok(!matches("missing > 1"));
    assert.ok(matches("not (missing = 1)"));
  });

  it("combines with and, or, not and parentheses in XQL's precedence", () => {
    assert.ok(matches("action_remote_port = 1 or action_remote_port = 4444 and event_type = ENUM.PROCESS"));
    assert.ok(!matches("(action_remote_port = 1 or action_remote_port = 4444) and event_type = ENUM.FILE"));
    assert.ok(matches("not action_remote_port = 1"));
    assert.equal(value("1 + 2 * 3"), 7);
    assert.equal(value("(1 + 2) * 3"), 9);
    assert.equal(value("-action_remote_port + 1"), -4443);
  });

  // As BigQuery's TIMESTAMP_DIFF and FORMAT_TIMESTAMP, which XQL runs on; from real correlation rules.
  it("takes differences of times and writes them out", () => {
    const t0 = Date.parse("2026-03-01T10:00:00Z");
    const at = { start: t0, end: t0 + 10 * 60_000 + 59_999, iso: "2026-03-01T10:00:00Z" };
    assert.equal(value('timestamp_diff(end, start, "MINUTE")', at), 10);
    assert.equal(value('timestamp_diff(start, end, "minute")', at), -10, "cut toward zero");
    assert.equal(value('timestamp_diff(end, iso, "SECOND")', at), 659);
    assert.equal(value('timestamp_diff(end, start, "FORTNIGHT")', at), null);
    assert.equal(value('timestamp_diff(missing, start, "DAY")', at), null);
    assert.equal(value('format_timestamp("%Y-%m-%d %H:%M:%S", start)', at), "2026-03-01 10:00:00");
    assert.equal(value('format_timestamp("%F %T", start, "Asia/Tokyo")', at), "2026-03-01 19:00:00");
    assert.equal(
      value('format_timestamp("%a %e %b %y, %s%%", start, "America/New_York")', at),
      "Sun  1 Mar 26, 1772359200%",
    );
    assert.equal(value('format_timestamp("%Q", start)', at), "%Q");
    assert.equal(value('format_timestamp("%F", start, "Not/AZone")', at), null);
  });

  it("runs the common functions", () => {
    assert.equal(value("lowercase(action_process_image_name)"), "powershell.exe");
    assert.equal(value("uppercase(action_process_image_name)"), "POWERSHELL.EXE");
    assert.equal(value('concat(action_process_image_name, ":", action_remote_port)'), "PowerShell.exe:4444");
    assert.equal(value('coalesce(missing, empty, "x")'), "");
    assert.equal(value('coalesce(missing, "fallback")'), "fallback");
    assert.equal(value('if(action_remote_port > 1000, "high", "low")'), "high");
    assert.equal(value("to_string(action_remote_port)"), "4444");
    assert.equal(value("to_integer(port_text)"), 8080);
    assert.equal(value('to_number("2.5")'), 2.5);
    assert.equal(value("len(action_process_image_name)"), 14);
    assert.deepEqual(value('split("a,b,c", ",")'), ["a", "b", "c"]);
    assert.equal(value('arrayindex(split("a,b,c", ","), -1)'), "c");
    assert.equal(value('json_extract(json, "$.user.groups")'), '["admins","users"]');
    assert.equal(value('json_extract_scalar(json, "$.user.name")'), "alice");
    assert.equal(value('json_extract_scalar(json, "$.n")'), "3");
    assert.equal(value('extract_time(ts, "HOUR")'), 13);
    assert.equal(value('extract_time(ts, "DAYOFWEEK")'), 1);
    assert.deepEqual(value('regextract(action_process_image_command_line, "-(\\w+)Command")'), ["Encoded"]);
    assert.equal(value('replace(action_process_image_name, ".exe", "")'), "PowerShell");
    assert.equal(value('trim("  x  ")'), "x");
    assert.equal(value('ltrim("xxaxx", "x")'), "axx");
    assert.equal(value('rtrim("xxaxx", "x")'), "xxa");
    assert.equal(value("json->user.name"), "alice");
    assert.equal(value("json->user.groups[1]"), "users");
    assert.equal(value('json->["n"]'), 3);
    assert.equal(value("obj->k"), "v");
  });

  it("lets alter define fields that later filters read", () => {
    const query = parseXql(
      'dataset = xdr_data | alter name = lowercase(action_process_image_name) | filter name = "powershell.exe" and event_type = ENUM.PROCESS',
    );
    assert.deepEqual(compileQuery(query)(EVENT), { field: "name", value: "powershell.exe" });
  });

  it("names unknown and aggregate functions and sub-queries at their position", () => {
    for (const [text, column, message] of [
      ["filter frobnicate(a) = 1", 28, "unknown function 'frobnicate'"],
      ["filter count(a) > 1", 28, "aggregate function 'count' cannot be evaluated on one event"],
      [
        "filter a in (dataset = endpoints | fields endpoint_name)",
        33,
        "a sub-query reads other datasets, and a BIOC sees only the event it matches",
      ],
    ] as const) {
      const query = parseXql(`dataset = xdr_data | ${text}`);
      assert.throws(
        () => compileQuery(query),
        (error: unknown) =>
          error instanceof XqlSyntaxError && error.detail.column === column && error.detail.message === message,
      );
    }
  });
});

describe("XQL forms real rules use", () => {
  const fires = (query: string, event: Record<string, unknown>) => compileQuery(parseXql(query))(event) !== undefined;

  it("matches Windows paths as written, trailing backslashes included", () => {
    const event = {
      action_process_image_path: "C:\\Windows\\System32\\rundll32.exe",
      action_file_path: "C:\\Users\\bob",
    };
    assert.ok(fires('filter action_process_image_path contains "\\rundll32.exe"', event));
    assert.ok(fires('filter action_file_path contains "C:\\Users\\"', event));
    assert.ok(fires('filter action_process_image_path = "*\\System32\\*"', event));
    assert.ok(fires('filter action_process_image_path ~= "\\\\system32\\\\rundll32\\.exe$"', event));
    assert.ok(fires('filter action_process_image_path in ("*\\rundll32.exe", "x")', event));
    assert.ok(!fires('filter not (action_process_image_path contains "\\rundll32.exe")', event));
  });

  it("runs !~=, JSON arrays and fields", () => {
    const event = { cmd: "whoami /all", data: '{"TicketOptions":"0x40810000","list":[1,{"a":2}]}' };
    assert.ok(fires('filter cmd !~= "^net"', event));
    assert.ok(!fires('filter cmd !~= "^who"', event));
    assert.ok(!fires('filter missing !~= "x"', event));
    assert.ok(fires('alter o = data->TicketOptions | filter o = "0x40810000"', event));
    assert.ok(fires("alter l = data->list[] | filter array_length(l) = 2", event));
    assert.ok(fires('alter j = data->list{} | filter j = "[1,{\\"a\\":2}]"', event));
    assert.ok(fires('alter t = to_json_string(data) | filter t contains "Ticket"', event));
    assert.ok(fires('fields * | filter cmd contains "who"', event));
    assert.ok(!fires('fields data | filter cmd contains "who"', event));
    assert.ok(fires('fields data, cm* | filter cmd contains "who"', event));
    assert.ok(!fires('fields da*, other | filter cmd contains "who"', event));
  });

  it("takes ENUM.X, X and event_type's number for an enum, in events and queries", () => {
    for (const eventForm of ["PROCESS_START", "ENUM.PROCESS_START", "process_start"]) {
      const event = { event_type: 1, event_sub_type: eventForm, agent_os_type: "ENUM.AGENT_OS_WINDOWS" };
      for (const queryForm of ["ENUM.PROCESS_START", '"PROCESS_START"', "PROCESS_START", '"ENUM.PROCESS_START"'])
        assert.ok(fires(`filter event_sub_type = ${queryForm}`, event), `${queryForm} on ${eventForm}`);
      assert.ok(fires("filter event_type = ENUM.PROCESS and event_type = 1 and event_type = PROCESS", event));
      assert.ok(fires('filter agent_os_type in ("AGENT_OS_WINDOWS", ENUM.AGENT_OS_LINUX)', event));
      assert.ok(!fires("filter event_sub_type = ENUM.PROCESS_STOP", event));
    }
  });

  it("reads signature statuses as enums: bare names, ENUM.X and quoted names, in events and queries", () => {
    for (const status of ["SIGNED_INVALID", "ENUM.SIGNED_INVALID", "signed_invalid"]) {
      const event = { event_type: "LOAD_IMAGE", actor_process_signature_status: status };
      for (const form of ["SIGNED_INVALID", "ENUM.SIGNED_INVALID", '"SIGNED_INVALID"'])
        assert.ok(fires(`filter actor_process_signature_status = ${form}`, event), `${form} on ${status}`);
      assert.ok(!fires("filter actor_process_signature_status in (null, ENUM.SIGNED, UNSIGNED)", event));
      assert.ok(fires("filter actor_process_signature_status != ENUM.SIGNED", event));
    }
    const unsupported = { event_type: "PROCESS", action_process_signature_status: "ENUM.UNSUPPORTED" };
    assert.ok(
      !fires(
        "filter action_process_signature_status not in (null, ENUM.UNSUPPORTED, ENUM.FAILED_TO_OBTAIN)",
        unsupported,
      ),
    );
  });
});
