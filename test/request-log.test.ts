/** The access log of `warden serve` as an operator reads it: one JSON line per request (issue 13). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startNode, type WardenNode } from "./stream/stream-harness.ts";

interface LogLine {
  reqId?: string;
  msg: string;
  req?: { method: string; url: string; remoteAddress: string };
  res?: { statusCode: number };
  responseTime?: number;
}

describe("the request log", () => {
  let dir: string;
  let node: WardenNode;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "warden-log-"));
    const env: NodeJS.ProcessEnv = { ...process.env, WARDEN_DATA_DIR: dir, WARDEN_LOG_LEVEL: "info" };
    delete env.WARDEN_DATABASE;
    delete env.WARDEN_NATS_URL;
    node = await startNode(env);
  });
  after(async () => {
    await node.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes one line per request, with the method, URL, client, status and time", async () => {
    const refused = await fetch(`${node.url}/public_api/v1/indicators/insert`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-xdr-auth-id": "1", authorization: "wrong" },
      body: JSON.stringify({ request_data: [] }),
    });
    assert.equal(refused.status, 401);
    // the line is written as the answer goes; give the pipe a moment to carry it
    const lines = async () => {
      for (let i = 0; i < 50; i++) {
        const parsed = node
          .output()
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as LogLine);
        if (parsed.some((l) => l.res?.statusCode === 401)) return parsed;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no log line for the refused request:\n${node.output()}`);
    };
    const logged = (await lines()).filter((l) => l.reqId !== undefined);
    const line = logged.find((l) => l.res?.statusCode === 401) as LogLine;
    assert.equal(line.msg, "request completed");
    assert.deepEqual(
      [line.req?.method, line.req?.url, line.req?.remoteAddress],
      ["POST", "/public_api/v1/indicators/insert", "127.0.0.1"],
    );
    assert.equal(typeof line.responseTime, "number");
    const perRequest = new Map<string, number>();
    for (const l of logged) perRequest.set(l.reqId as string, (perRequest.get(l.reqId as string) ?? 0) + 1);
    assert.deepEqual([...new Set(perRequest.values())], [1], "one line for each request");
  });
});
