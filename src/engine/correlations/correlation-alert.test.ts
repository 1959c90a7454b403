import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { substitute } from "./correlation-alert.ts";

describe("substitute", () => {
  const row = { userDisplayName: "bob", agent_hostname: "ws-7", ips: ["10.0.0.1", "10.0.0.2"], gone: null };

  it("reads a mapped alert field through its query field, and an unmapped or null-mapped one by its own name", () => {
    // a live export maps some alert fields to null: those name no query field
    const fields = { actor_effective_username: "userDisplayName", agent_hostname: null, addresses: "ips" };
    assert.equal(
      substitute("$actor_effective_username on $agent_hostname from $addresses", row, fields),
      "bob on ws-7 from 10.0.0.1, 10.0.0.2",
    );
  });

  it("keeps a name the row does not have, and writes a null value as nothing", () => {
    assert.equal(substitute("[$nowhere] [$gone]", row, {}), "[$nowhere] []");
  });
});
