// Runs every *.test.ts under src/ and test/ with node's test runner through tsx (Node 20's --test
// does not expand globs itself). Where the machine has PostgreSQL 15 and no WARDEN_TEST_POSTGRES_URL
// is given, it starts a throwaway server first (scripts/postgres-for-tests.sh), then runs the
// HTTP suites a second time with every app on PostgreSQL, and stops the server at the end.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function startPostgres() {
  const bin = process.env.POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";
  if (process.env.WARDEN_TEST_POSTGRES_URL || !existsSync(join(bin, "initdb")) || process.getuid?.() !== 0)
    return undefined;
  const [url, dir] = execFileSync("bash", ["scripts/postgres-for-tests.sh"], { encoding: "utf8" }).trim().split(" ");
  process.env.WARDEN_TEST_POSTGRES_URL = url;
  process.env.WARDEN_TEST_POSTGRES_DIR = dir; // lets the multi-node test stop and restart the server
  return dir;
}

function run(files, env = {}) {
  // --expose-gc lets memory checks (bad-input.test.ts) measure live objects, not garbage.
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "--test", ...files], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

const only = process.argv.slice(2);
const pgDir = only.length > 0 ? undefined : startPostgres();
let status = 1;
try {
  const files = only.length > 0 ? only : [...findTests("src"), ...findTests("test")].sort();
  status = run(files, only.length === 0 ? { WARDEN_FUZZ_RUNS: process.env.WARDEN_FUZZ_RUNS ?? "100000" } : {});
  // The HTTP suites again, every app on PostgreSQL (the CLI's and the stores' own suites ran above).
  // (test/stream/ chooses its stores itself, PostgreSQL included.)
  const httpSuites = files.filter(
    (f) => f.startsWith("test/") && !/cli|store|xql-syntax|multi-node|crash|stream\//.test(f),
  );
  if (status === 0 && only.length === 0 && process.env.WARDEN_TEST_POSTGRES_URL) {
    console.log("\n# the HTTP suites again, on PostgreSQL");
    status = run(httpSuites, { WARDEN_TEST_STORE: "postgres", WARDEN_FUZZ_RUNS: "10000" });
  }
} finally {
  if (pgDir) execFileSync("bash", ["scripts/postgres-for-tests.sh", "stop", pgDir]);
}
process.exit(status);
