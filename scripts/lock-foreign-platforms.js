// The registry this project is built from serves only the linux-x64 build of Biome's native CLI,
// so `npm install` leaves the other platforms' optional packages out of package-lock.json and
// `npm ci` then refuses the lock as out of sync. This records them as optional entries for their
// own os/cpu, which npm skips on any other machine. Run it after changing the Biome version.
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const biome = lock.packages["node_modules/@biomejs/biome"];
const platforms = {
  "cli-android-arm64": { os: ["android"], cpu: ["arm64"] },
  "cli-android-x64": { os: ["android"], cpu: ["x64"] },
  "cli-darwin-arm64": { os: ["darwin"], cpu: ["arm64"] },
  "cli-darwin-x64": { os: ["darwin"], cpu: ["x64"] },
  "cli-linux-arm64": { os: ["linux"], cpu: ["arm64"], libc: ["glibc"] },
  "cli-linux-arm64-musl": { os: ["linux"], cpu: ["arm64"], libc: ["musl"] },
  "cli-linux-x64-musl": { os: ["linux"], cpu: ["x64"], libc: ["musl"] },
  "cli-win32-arm64": { os: ["win32"], cpu: ["arm64"] },
  "cli-win32-x64": { os: ["win32"], cpu: ["x64"] },
};
for (const [name, target] of Object.entries(platforms)) {
  const key = `node_modules/@biomejs/${name}`;
  if (lock.packages[key] || !biome.optionalDependencies?.[`@biomejs/${name}`]) continue;
  lock.packages[key] = {
    version: biome.version,
    ...target,
    dev: true,
    license: "MIT OR Apache-2.0",
    optional: true,
    engines: { node: ">=14.21.3" },
  };
}
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
