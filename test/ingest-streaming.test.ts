/**
 * POST /logs/v1/event reads its body as it arrives and matches it piece by piece: over a real
 * socket, a body of many pieces sent in chunks that cut lines and multi-byte characters anywhere
 * gives the events, malformed lines, hits and stored alerts the body holds, the same on worker
 * threads and on the main thread; a body over the size limit is refused with a 413 whether its
 * length is declared or not.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { seededRandom } from "../bench/lib.ts";
import { authHeaders, startTestApp, type TestApp, type TestKey } from "./harness.ts";

const LINES = 6_000;

/** Every 7th event carries the bad file name, every 13th line is not JSON, every 17th is blank; some end in CRLF. */
function bodyLines(): string[] {
  return Array.from({ length: LINES }, (_, i) => {
    if (i % 17 === 5) return "";
    if (i % 13 === 3) return "not json {é";
    const event = {
      event_type: "FILE",
      action_file_name: i % 7 === 0 ? "bad.exe" : `fïle-${i}-😀.txt`,
      padding: "ж".repeat(i % 50),
      n: i,
    };
    return `${JSON.stringify(event)}${i % 5 === 0 ? "\r" : ""}`;
  });
}

function expected(lines: readonly string[]) {
  const malformed = lines.flatMap((line, i) => (line.startsWith("not json") ? [i + 1] : []));
  const events = lines.filter((line) => line.startsWith("{")).length;
  const hits = lines.filter((line) => line.includes('"bad.exe"')).length;
  return { events, malformed, hits };
}

/**
 * Sends `body` in chunks of 1 to 40,000 bytes (no content-length: chunked), over a real socket.
 * Writing stops once an answer starts (a refusal closes the connection; later writes fail).
 */
function sendInChunks(port: number, headers: Record<string, string>, body: Buffer, seed: number) {
  const random = seededRandom(seed);
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    let answered = false;
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/logs/v1/event", headers }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString()) }));
      res.on("error", reject);
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    let at = 0;
    const next = () => {
      if (answered) return;
      if (at >= body.length) return req.end();
      const size = 1 + Math.floor(random() * 40_000);
      req.write(body.subarray(at, at + size));
      at += size;
      setImmediate(next);
    };
    next();
  });
}

describe("ingest of a body read as it arrives", () => {
  const apps: TestApp[] = [];
  const ports: number[] = [];
  const keys: TestKey[] = [];
  before(async () => {
    for (const workers of ["2", "0"]) {
      const t = await startTestApp({ WARDEN_MATCH_WORKERS: workers, WARDEN_MAX_BODY_BYTES: String(2 * 1024 * 1024) });
      await t.app.listen({ host: "127.0.0.1", port: 0 });
      const key = await t.key("streamed");
      const res = await t.post(
        "/public_api/v1/indicators/insert",
        { request_data: [{ indicator: "bad.exe", type: "FILENAME", severity: "SEV_040_HIGH" }] },
        key,
      );
      assert.equal(res.statusCode, 200, res.body);
      apps.push(t);
      ports.push((t.app.server.address() as { port: number }).port);
      keys.push(key);
    }
  });
  after(async () => {
    for (const t of apps) await t.close();
  });

  const headersFor = (i: number) => ({
    ...authHeaders(keys[i] as TestKey, (apps[i] as TestApp).clock.now()),
    "content-type": "application/x-ndjson",
  });

  it("answers and stores what the body holds, in pieces cut anywhere, on worker threads as on the main thread", async () => {
    const lines = bodyLines();
    const body = Buffer.from(lines.join("\n"));
    assert.ok(body.length > 4 * 128 * 1024, "several pieces");
    const want = expected(lines);
    const answers = [];
    for (const [i, t] of apps.entries()) {
      const res = await sendInChunks(ports[i] as number, headersFor(i), body, 11 + i);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const reply = res.json.reply as {
        events: number;
        alerts: number;
        malformed_count: number;
        malformed: { line: number }[];
      };
      assert.equal(reply.events, want.events);
      assert.equal(reply.alerts, want.hits);
      assert.equal(reply.malformed_count, want.malformed.length);
      assert.deepEqual(
        reply.malformed.map((m) => m.line),
        want.malformed.slice(0, 100),
      );
      const stored = await t.post("/public_api/v1/alerts/get_alerts", { request_data: { search_to: 100 } }, keys[i]);
      const events = stored.json().reply.alerts.map((a: { event: { n: number } }) => a.event);
      assert.deepEqual(
        events.map((e: { n: number }) => e.n).sort((a: number, b: number) => a - b),
        lines.flatMap((line, n) => (line.includes('"bad.exe"') ? [n] : [])).slice(0, 100),
      );
      for (const event of events) assert.deepEqual(event, JSON.parse((lines[event.n] as string).trim()));
      answers.push(reply);
    }
    assert.deepEqual(answers[0], answers[1]);
  });

  it("cuts lines longer than a piece whole, wherever the chunks end", async () => {
    const event = (n: number, name: string, padding: number) =>
      JSON.stringify({ event_type: "FILE", action_file_name: name, padding: "x".repeat(padding), n });
    const lines = [
      event(0, "bad.exe", 10),
      event(1, "bad.exe", 300_000), // longer than two pieces
      "not json",
      event(3, "ok.exe", 150_000),
      event(4, "bad.exe", 120_000),
      "",
      event(6, "bad.exe", 5),
      "not json either",
    ];
    for (const [i] of apps.entries()) {
      const res = await sendInChunks(ports[i] as number, headersFor(i), Buffer.from(lines.join("\n")), 5 + i);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const reply = res.json.reply as { events: number; alerts: number; malformed: { line: number }[] };
      assert.equal(reply.events, 5);
      assert.equal(reply.alerts, 4);
      assert.deepEqual(
        reply.malformed.map((m) => m.line),
        [3, 8],
      );
    }
  });

  it("refuses a body over the size limit with a 413, declared or found while reading, and keeps serving", async () => {
    const big = Buffer.from(`${bodyLines().join("\n")}\n`.repeat(6));
    assert.ok(big.length > 2 * 1024 * 1024);
    const declared = await apps[0]?.app.inject({
      method: "POST",
      url: "/logs/v1/event",
      headers: headersFor(0),
      payload: big,
    });
    assert.equal(declared?.statusCode, 413, declared?.body);
    assert.equal(declared?.json().err_code, 413);
    const chunked = await sendInChunks(ports[0] as number, headersFor(0), big, 3);
    assert.equal(chunked.status, 413, JSON.stringify(chunked.json));
    const fine = await sendInChunks(ports[0] as number, headersFor(0), Buffer.from(bodyLines().join("\n")), 5);
    assert.equal(fine.status, 200);
  });
});
