import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { openSqliteStore } from "../src/storage/sqlite/sqlite-store.ts";
import { auditContract } from "./audit-contract.ts";
import { storeContract } from "./store-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "warden-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract("SQLite file", async () => openSqliteStore(join(dir, "contract.db")));
auditContract("SQLite file", async () => openSqliteStore(join(dir, "audit.db")));
