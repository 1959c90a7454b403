import { rootCertificates } from "node:tls";
import type { BackoffPolicy } from "./backoff.ts";

/** How alerts are delivered (read from the environment by src/config.ts; docs/webhooks.md lists them). */
export interface DeliveryConfig {
  backoff: BackoffPolicy;
  /** Attempts before an entry becomes a dead letter. */
  maxAttempts: number;
  /** One webhook request or syslog connection may take this long. */
  timeoutMs: number;
  /** How often `serve` looks for due deliveries; 0: never (tests drive rounds by hand). */
  tickMs: number;
  /** Entries one round takes at most. */
  batch: number;
  /** Internal hosts (host or host:port) webhooks and syslog may still reach; see src/intel/feed-url.ts. */
  allowedHosts: readonly string[];
  /** A server-wide syslog receiver every tenant's alerts go to (syslog+udp://, syslog+tcp:// or syslog+tls://), if any. */
  serverSyslogUrl: string | undefined;
  /**
   * CA certificates (PEM, WARDEN_DELIVERY_CA) trusted beside the system's for https webhooks and
   * syslog over TLS: receivers inside the organisation often carry a certificate of its own CA.
   */
  caPem: string | undefined;
}

/** The CAs a TLS connection to a receiver trusts: the system's, and the configured ones. */
export function trustedCas(config: Pick<DeliveryConfig, "caPem">): string[] | undefined {
  return config.caPem === undefined ? undefined : [...rootCertificates, config.caPem];
}

export const DEFAULT_DELIVERY: DeliveryConfig = Object.freeze({
  backoff: Object.freeze({ baseMs: 5_000, maxMs: 15 * 60_000 }),
  maxAttempts: 12,
  timeoutMs: 10_000,
  tickMs: 1_000,
  batch: 200,
  allowedHosts: Object.freeze([]),
  serverSyslogUrl: undefined,
  caPem: undefined,
});
