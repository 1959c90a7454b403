/**
 * `warden scan` of a file cut into several pieces, with correlation rules that hit in more than one
 * piece and a SCHEDULED rule whose windows span pieces: REAL_TIME hits keep their file lines, each
 * piece's correlation hits come before its IOC hits, window rows come last in time order, and one
 * thread, two, or none (WARDEN_MATCH_WORKERS=0) give the same output. The expected output is worked
 * out here from how the events were made, not by Warden's code.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PIECE_CHARS } from "../../src/ingest/event-pieces.ts";
import { START_TIME, startTestApp, type TestApp } from "../harness.ts";
import { scanFile } from "./cli-runner.ts";

const LINES = 3000;
const WINDOW_MS = 600_000;
/** The window of each third of the file: out of time order, so the output must sort them. */
const WINDOW_OF_THIRD = [1, 0, 2];
const USERS = ["mallory", "alice", "bob", "carol"];

const ENCODED = 31; // the lower id, so on a line both REAL_TIME rules hit it comes first
const EVIL = 32;
const BUSY = 33;

function rule(ruleId: number, name: string, xql: string, scheduled = false) {
  return {
    rule_id: ruleId,
    name,
    severity: "SEV_030_MEDIUM",
    xql_query: xql,
    alert_name: scheduled ? "$actor_effective_username: $n connections, ports $ports" : name,
    alert_category: "OTHER",
    execution_mode: scheduled ? "SCHEDULED" : "REAL_TIME",
    search_window: scheduled ? "10 minutes" : null,
    simple_schedule: scheduled ? "10 minutes" : null,
    timezone: "UTC",
  };
}

const RULES = [
  rule(
    EVIL,
    "Evil tool",
    'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name = "evil.exe"',
  ),
  rule(
    ENCODED,
    "Encoded command",
    'dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_command_line contains "-enc"',
  ),
  rule(
    BUSY,
    "Busy user",
    "dataset = xdr_data | filter event_type = ENUM.NETWORK | comp count() as n, sum(action_remote_port) as ports by actor_effective_username | filter n > 1",
    true,
  ),
];

/** Line `line` (1-based): PROCESS, NETWORK and FILE events in turn, ~170 characters each. */
function eventOf(line: number): Record<string, unknown> {
  const third = Math.floor(((line - 1) * 3) / LINES);
  const _time = START_TIME + (WINDOW_OF_THIRD[third] as number) * WINDOW_MS + (line % 500) * 1000;
  const pad = "p".repeat(100);
  if (line % 3 === 0) {
    const image = line % 7 === 0 ? "evil.exe" : "calc.exe";
    const command = line % 11 === 0 ? `${image} -enc ZQBjAGgAbwA=` : image;
    return {
      event_type: "PROCESS",
      action_process_image_name: image,
      action_process_image_command_line: command,
      _time,
      pad,
    };
  }
  if (line % 3 === 1) {
    const user = USERS[Math.floor(line / 5) % USERS.length];
    return { event_type: "NETWORK", actor_effective_username: user, action_remote_port: line % 100, _time, pad };
  }
  return { event_type: "FILE", action_file_name: line % 13 === 0 ? "bad.exe" : `doc${line}.txt`, _time, pad };
}

/** The lines of each piece, cut where scan cuts: before a line that would take a piece past PIECE_CHARS. */
function piecesOf(lines: readonly string[]): number[][] {
  const pieces: number[][] = [[]];
  let chars = 0;
  lines.forEach((text, i) => {
    const piece = pieces.at(-1) as number[];
    if (piece.length > 0 && chars + text.length > PIECE_CHARS) {
      pieces.push([]);
      chars = 0;
    }
    (pieces.at(-1) as number[]).push(i + 1);
    chars += text.length + 1;
  });
  return pieces;
}

/** Each piece's REAL_TIME hits (by line, then rule id), then its IOC hits; [line, rule id]. */
function expectedLineHits(pieces: readonly number[][]): [number, string, number][] {
  const hits: [number, string, number][] = [];
  for (const piece of pieces) {
    for (const line of piece) {
      const event = eventOf(line);
      if (event.event_type !== "PROCESS") continue;
      if (String(event.action_process_image_command_line).includes("-enc")) hits.push([line, "CORRELATION", ENCODED]);
      if (event.action_process_image_name === "evil.exe") hits.push([line, "CORRELATION", EVIL]);
    }
    for (const line of piece) if (eventOf(line).action_file_name === "bad.exe") hits.push([line, "IOC", 1]);
  }
  return hits;
}

/** Window by window in time order, users in the order they first came in the window: [window start, name]. */
function expectedWindowRows(): [string, string][] {
  const windows = new Map<number, Map<string, { n: number; ports: number }>>();
  for (let line = 1; line <= LINES; line++) {
    const event = eventOf(line);
    if (event.event_type !== "NETWORK") continue;
    const start = Math.floor((event._time as number) / WINDOW_MS) * WINDOW_MS;
    const users = windows.get(start) ?? new Map<string, { n: number; ports: number }>();
    windows.set(start, users);
    const user = event.actor_effective_username as string;
    const sums = users.get(user) ?? { n: 0, ports: 0 };
    users.set(user, { n: sums.n + 1, ports: sums.ports + (event.action_remote_port as number) });
  }
  return [...windows.keys()]
    .sort((a, b) => a - b)
    .flatMap((start) =>
      [...(windows.get(start) ?? [])].map(([user, { n, ports }]): [string, string] => [
        new Date(start).toISOString(),
        `${user}: ${n} connections, ports ${ports}`,
      ]),
    );
}

describe("warden scan with correlation rules over a file of several pieces", () => {
  let t: TestApp;
  let file: string;
  let pieces: number[][];

  before(async () => {
    t = await startTestApp();
    const admin = await t.key("acme");
    const correlations = await t.post("/public_api/v1/correlations/insert", { request_data: RULES }, admin);
    assert.deepEqual(correlations.json().errors, []);
    const ioc = { indicator: "bad.exe", type: "FILENAME", severity: "SEV_040_HIGH" };
    const iocs = await t.post("/public_api/v1/indicators/insert", { request_data: [ioc] }, admin);
    assert.equal(iocs.statusCode, 200);
    const lines = Array.from({ length: LINES }, (_, i) => JSON.stringify(eventOf(i + 1)));
    pieces = piecesOf(lines);
    file = join(t.dir, "events.ndjson");
    writeFileSync(file, lines.join("\n"));
  });
  after(async () => t.close());

  const scan = async (workers: string) => (await scanFile(t, file, workers)).hits;

  for (const workers of ["1", "2", "0"])
    it(`gives every hit its line and window, in a stable order (WARDEN_MATCH_WORKERS=${workers})`, async () => {
      assert.ok(pieces.length >= 4, `the file is cut into ${pieces.length} pieces`);
      const hits = await scan(workers);
      const byLine = hits.filter((h) => h.line !== null);
      const windows = hits.filter((h) => h.line === null);
      assert.deepEqual(
        byLine.map((h) => [h.line, h.source, h.rule_id]),
        expectedLineHits(pieces),
      );
      assert.deepEqual(hits.slice(byLine.length), windows, "window rows come after every line's hits");
      assert.ok(
        windows.every(
          (h) =>
            h.rule_id === BUSY &&
            h.window_end === new Date(Date.parse(String(h.window_start)) + WINDOW_MS).toISOString(),
        ),
      );
      assert.deepEqual(
        windows.map((h) => [h.window_start, h.name]),
        expectedWindowRows(),
      );
    });
});
