import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { DEFAULT_DELIVERY, type DeliveryConfig } from "./delivery/delivery-config.ts";
import { type NatsSecurity, natsSecurityFromEnv } from "./ingest/stream/nats-security.ts";

/** Everything the server and CLI can be told, frozen once read. The only reader of process.env. */
export interface Config {
  host: string;
  port: number;
  /** A SQLite file path (or `:memory:`), or a `postgres://` URL. */
  database: string;
  dataDir: string;
  /** 32-byte key encrypting advanced API key secrets, given as 64 hex chars or base64; read from the data dir when absent. */
  masterKey: string | undefined;
  logLevel: string;
  /**
   * Addresses or CIDR ranges of the proxies in front of Warden (WARDEN_TRUSTED_PROXIES, comma
   * separated). Only from these is X-Forwarded-For believed: the client address it names is then
   * the one limits count and the audit log records. Empty: the socket's peer is the client.
   */
  trustedProxies: readonly string[];
  /** Worker threads that parse and match events (default: one per core); 0 matches on the main thread. */
  matchWorkers: number;
  /** How often `serve` looks for due scheduled correlation rules (WARDEN_CORRELATION_TICK_MS); 0: never. */
  correlationTickMs: number;
  /** Internal hosts (host or host:port) TAXII feeds may still be pulled from (WARDEN_INTEL_FEED_HOSTS); see src/intel/feed-url.ts. */
  intelFeedHosts: readonly string[];
  /** Webhooks and syslog (src/delivery): retries, timeouts, allowed internal hosts. */
  delivery: DeliveryConfig;
  limits: Limits;
  /** `/metrics` on a port of its own (WARDEN_METRICS_PORT, `--metrics-port`), and then not on the API's; null: on the API's port. */
  metricsPort: number | null;
  /** Whether metrics carry tenant names as labels (WARDEN_METRICS_TENANT_LABELS, default true). */
  metricsTenantLabels: boolean;
  /** Retention for tenants without their own (`warden tenant retention`); see docs/retention.md. */
  retention: RetentionDefaults;
  /** How often `serve` runs retention (WARDEN_RETENTION_TICK_MS, default an hour); 0: never. */
  retentionTickMs: number;
  /** The JetStream consumer `serve` runs (--nats, WARDEN_NATS_URL); absent: events arrive over HTTP only. */
  nats: NatsConfig | undefined;
}

/** Days kept by default (WARDEN_RETENTION_ALERTS_DAYS, WARDEN_RETENTION_AUDIT_DAYS); 0, the default, keeps forever. */
export interface RetentionDefaults {
  alertsDays: number;
  auditDays: number;
}

/** docs/stream.md */
export interface NatsConfig {
  url: string;
  /** The stream read (and created when missing); subjects `warden.events.<tenant name>`. */
  stream: string;
  /** The durable pull consumer every node binds, so the nodes share the work. */
  consumer: string;
  /** Messages one node holds at once (fetched, being matched, or waiting for their commit). */
  inflight: number;
  /** A message not acknowledged this long goes to another node (WARDEN_NATS_ACK_WAIT_MS; set when the consumer is created). */
  ackWaitMs: number;
  /** Authentication and TLS (WARDEN_NATS_USER, _PASSWORD, _TOKEN, _CREDS, _CA, _CERT, _KEY). */
  security: NatsSecurity;
}

export interface Limits {
  bodyBytes: number;
  itemsPerRequest: number;
  /** Longest accepted indicator, name, comment or other free-text string. */
  stringLength: number;
  treeDepth: number;
  treeNodes: number;
  /** Largest `search_to - search_from` of one get. */
  pageSize: number;
  /** How far an advanced key's timestamp may be from the server clock, and how long its nonce is kept. */
  timestampWindowMs: number;
  /** Requests per second one API key may make (a bucket of twice that absorbs bursts); 0 turns it off. */
  rateLimitPerKey: number;
  /** Failed authentications one address may make per minute before it is refused for the rest of it; 0: off. */
  authFailuresPerMinute: number;
  /** Requests served at once; more get 503 with Retry-After. */
  maxConcurrentRequests: number;
  /** A request whose headers and body have not arrived within this is dropped (slow clients). */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** Longest one batch of events may take to match on a worker before the worker is replaced and the request fails. */
  matchTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  bodyBytes: 64 * 1024 * 1024,
  itemsPerRequest: 100_000,
  stringLength: 16_384,
  treeDepth: 32,
  treeNodes: 10_000,
  pageSize: 10_000,
  timestampWindowMs: 5 * 60 * 1000,
  rateLimitPerKey: 1000,
  authFailuresPerMinute: 60,
  maxConcurrentRequests: 512,
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
  matchTimeoutMs: 10_000,
});

export interface ConfigOverrides {
  host?: string | undefined;
  port?: string | number | undefined;
  database?: string | undefined;
  dataDir?: string | undefined;
  metricsPort?: string | number | undefined;
  nats?: string | undefined;
  natsStream?: string | undefined;
  natsInflight?: string | undefined;
}

type Env = Record<string, string | undefined>;

/** Flags win over environment, environment wins over defaults. */
export function loadConfig(flags: ConfigOverrides = {}, env: Env = process.env): Config {
  const dataDir = resolve(flags.dataDir ?? env.WARDEN_DATA_DIR ?? "data");
  return Object.freeze({
    host: flags.host ?? env.WARDEN_HOST ?? "127.0.0.1",
    port: parsePort(flags.port ?? env.WARDEN_PORT ?? 8080),
    database: flags.database ?? env.WARDEN_DATABASE ?? resolve(dataDir, "warden.db"),
    dataDir,
    masterKey: env.WARDEN_MASTER_KEY || undefined,
    logLevel: env.WARDEN_LOG_LEVEL ?? "info",
    trustedProxies: parseTrustedProxies(env.WARDEN_TRUSTED_PROXIES ?? ""),
    matchWorkers: intFromEnv(env, "WARDEN_MATCH_WORKERS", availableParallelism(), true),
    correlationTickMs: intFromEnv(env, "WARDEN_CORRELATION_TICK_MS", 15_000, true),
    metricsPort: optionalPort(flags.metricsPort ?? env.WARDEN_METRICS_PORT),
    metricsTenantLabels: booleanFromEnv(env, "WARDEN_METRICS_TENANT_LABELS", true),
    intelFeedHosts: hostList(env.WARDEN_INTEL_FEED_HOSTS),
    delivery: deliveryConfig(env),
    retention: Object.freeze({
      alertsDays: intFromEnv(env, "WARDEN_RETENTION_ALERTS_DAYS", 0, true),
      auditDays: intFromEnv(env, "WARDEN_RETENTION_AUDIT_DAYS", 0, true),
    }),
    retentionTickMs: intFromEnv(env, "WARDEN_RETENTION_TICK_MS", 3_600_000, true),
    limits: Object.freeze({
      ...DEFAULT_LIMITS,
      bodyBytes: intFromEnv(env, "WARDEN_MAX_BODY_BYTES", DEFAULT_LIMITS.bodyBytes),
      itemsPerRequest: intFromEnv(env, "WARDEN_MAX_ITEMS", DEFAULT_LIMITS.itemsPerRequest),
      rateLimitPerKey: intFromEnv(env, "WARDEN_RATE_LIMIT_PER_KEY", DEFAULT_LIMITS.rateLimitPerKey, true),
      authFailuresPerMinute: intFromEnv(
        env,
        "WARDEN_AUTH_FAILURES_PER_MINUTE",
        DEFAULT_LIMITS.authFailuresPerMinute,
        true,
      ),
      maxConcurrentRequests: intFromEnv(env, "WARDEN_MAX_CONCURRENT_REQUESTS", DEFAULT_LIMITS.maxConcurrentRequests),
      requestTimeoutMs: intFromEnv(env, "WARDEN_REQUEST_TIMEOUT_MS", DEFAULT_LIMITS.requestTimeoutMs),
      headersTimeoutMs: intFromEnv(env, "WARDEN_HEADERS_TIMEOUT_MS", DEFAULT_LIMITS.headersTimeoutMs),
      matchTimeoutMs: intFromEnv(env, "WARDEN_MATCH_TIMEOUT_MS", DEFAULT_LIMITS.matchTimeoutMs),
    }),
    nats: natsConfig(flags, env),
  });
}

/** Enough in flight to keep every core matching while commits wait, few enough to bound memory. */
const DEFAULT_NATS_INFLIGHT = 32;

function natsConfig(flags: ConfigOverrides, env: Env): NatsConfig | undefined {
  const url = flags.nats ?? env.WARDEN_NATS_URL;
  if (!url) return undefined;
  const inflight = flags.natsInflight ?? env.WARDEN_NATS_INFLIGHT;
  return Object.freeze({
    url,
    stream: flags.natsStream ?? env.WARDEN_NATS_STREAM ?? "WARDEN_EVENTS",
    consumer: env.WARDEN_NATS_CONSUMER ?? "warden",
    inflight: intFromEnv({ WARDEN_NATS_INFLIGHT: inflight }, "WARDEN_NATS_INFLIGHT", DEFAULT_NATS_INFLIGHT),
    ackWaitMs: intFromEnv(env, "WARDEN_NATS_ACK_WAIT_MS", 30_000),
    security: natsSecurityFromEnv(env),
  });
}

function hostList(raw: string | undefined): readonly string[] {
  return Object.freeze(
    (raw ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean),
  );
}

function deliveryConfig(env: Env): DeliveryConfig {
  const d = DEFAULT_DELIVERY;
  return Object.freeze({
    backoff: Object.freeze({
      baseMs: intFromEnv(env, "WARDEN_DELIVERY_BACKOFF_MS", d.backoff.baseMs, true),
      maxMs: intFromEnv(env, "WARDEN_DELIVERY_BACKOFF_MAX_MS", d.backoff.maxMs, true),
    }),
    maxAttempts: intFromEnv(env, "WARDEN_DELIVERY_MAX_ATTEMPTS", d.maxAttempts),
    timeoutMs: intFromEnv(env, "WARDEN_DELIVERY_TIMEOUT_MS", d.timeoutMs),
    tickMs: intFromEnv(env, "WARDEN_DELIVERY_TICK_MS", d.tickMs, true),
    batch: intFromEnv(env, "WARDEN_DELIVERY_BATCH", d.batch),
    allowedHosts: hostList(env.WARDEN_DELIVERY_HOSTS),
    serverSyslogUrl: env.WARDEN_SYSLOG_URL || undefined,
    caPem: pemFile(env, "WARDEN_DELIVERY_CA"),
  });
}

/** A PEM file's text, or a clear error naming the variable when it cannot be read or holds no certificate. */
function pemFile(env: Env, name: string): string | undefined {
  const path = env[name];
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`${name}: cannot read '${path}': ${(error as Error).message}`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`${name}: '${path}' holds no PEM certificate`);
  return text;
}

/** `10.0.0.1, 10.1.0.0/16, ::1`: each an IP address or a CIDR range. */
function parseTrustedProxies(raw: string): readonly string[] {
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = "", bits, ...rest] = entry.split("/");
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const goodBits = bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !goodBits || rest.length > 0)
      throw new Error(`WARDEN_TRUSTED_PROXIES: '${entry}' is not an IP address or CIDR range`);
  }
  return Object.freeze(entries);
}

function parsePort(value: string | number): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port '${value}': expected an integer from 0 to 65535`);
  }
  return port;
}

function optionalPort(value: string | number | undefined): number | null {
  return value === undefined || value === "" ? null : parsePort(value);
}

function booleanFromEnv(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new Error(`${name} must be true or false, got '${env[name]}'`);
}

/** `zeroAllowed`: 0 switches the limit off. */
function intFromEnv(env: Env, name: string, fallback: number, zeroAllowed = false): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw new Error(`${name} must be a ${zeroAllowed ? "non-negative" : "positive"} integer, got '${raw}'`);
  }
  return value;
}
