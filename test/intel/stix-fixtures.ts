/** STIX 2.1 objects for the intel tests, written as a TIP would send them. */
import { createHash } from "node:crypto";

/** A stable UUID (version 4 layout) from a seed, so fixtures are the same every run. */
export function seededUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const T0 = "2026-01-01T00:00:00.000Z";

export function indicator(seed: string, pattern: string, extra: Record<string, unknown> = {}) {
  return {
    type: "indicator",
    spec_version: "2.1",
    id: `indicator--${seededUuid(seed)}`,
    created: T0,
    modified: T0,
    pattern,
    pattern_type: "stix",
    valid_from: T0,
    ...extra,
  };
}

export function bundle(objects: unknown[]) {
  return { type: "bundle", id: `bundle--${seededUuid(JSON.stringify(objects).slice(0, 200))}`, objects };
}

/** `count` indicators over every pattern shape Warden reads: hashes, addresses, domains, URLs, names. */
export function manyIndicators(count: number, prefix = "many"): ReturnType<typeof indicator>[] {
  return Array.from({ length: count }, (_, i) => {
    const hash = createHash("sha256").update(`${prefix}-${i}`).digest("hex");
    const patterns = [
      `[file:hashes.'SHA-256' = '${hash}']`,
      `[file:hashes.MD5 = '${hash.slice(0, 32)}']`,
      `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
      `[domain-name:value = 'h${i}.${prefix}.example']`,
      `[url:value = 'https://${prefix}.example/p/${i}']`,
      `[file:name = '${prefix}-${i}.exe']`,
    ];
    return indicator(`${prefix}-${i}`, patterns[i % patterns.length] as string, {
      name: `${prefix} ${i}`,
      confidence: (i * 7) % 101,
      indicator_types: [["malicious-activity", "anomalous-activity", "benign"][i % 3]],
      ...(i % 4 === 0 ? { valid_until: "2027-06-01T00:00:00Z" } : {}),
    });
  });
}
