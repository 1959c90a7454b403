/**
 * Managing where a tenant's alerts go: webhooks and syslog receivers (a URL's scheme says which),
 * their filters, a test send, and the dead letters with a retry. A webhook's signing secret is
 * sealed under the master key, as advanced API key secrets are, and shown only when it is added.
 * `owner` null means the server-wide targets, which only the operator's CLI manages.
 */
import type { Alert } from "../domain/alerts/alert-model.ts";
import type { Severity } from "../domain/ioc/ioc-model.ts";
import { sealSecret } from "../domain/keys/key-secrets.ts";
import type { Tenant } from "../domain/tenants/tenant-model.ts";
import type { Clock } from "../lib/clock.ts";
import { fail, ok, type Result } from "../lib/result.ts";
import type { ClaimedDelivery, DeliveryStore } from "../storage/delivery-ports.ts";
import { type DeliveryConfig, trustedCas } from "./delivery-config.ts";
import { type AttemptOutcome, type DeliveryTarget, idempotencyKey, type RuleKind } from "./delivery-model.ts";
import { syslogMessage } from "./syslog-message.ts";
import { sendSyslog } from "./syslog-sender.ts";
import { checkTargetUrl } from "./target-url.ts";
import { generateWebhookSecret, signingSecrets, WEBHOOK_SECRET_PURPOSE } from "./webhook-secret.ts";
import { postAlert, type WebhookAgents, webhookAgents } from "./webhook-sender.ts";

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const SERVER_SYSLOG_NAME = "server-syslog";
/** A rotation's overlap is at most a week: long enough for any change window, short enough to end. */
const MAX_OVERLAP_MS = 168 * 3_600_000;

export interface NewTarget {
  name: string;
  url: string;
  /** A webhook's signing secret; generated when absent. */
  secret?: string | undefined;
  minSeverity: Severity;
  ruleKinds: readonly RuleKind[];
  enabled: boolean;
}

/** A target as shown: never its secret. */
export type TargetView = Omit<DeliveryTarget, "sealedSecret" | "tenantId"> & { hasSecret: boolean };

export interface DeadLetter {
  id: number;
  target: string;
  idempotencyKey: string;
  alert: Alert;
  attempts: number;
  lastError: string | null;
  deadAt: number;
}

export class DeliveryService {
  private readonly agents: WebhookAgents;

  constructor(
    private readonly store: DeliveryStore,
    private readonly masterKey: Buffer,
    private readonly clock: Clock,
    private readonly config: DeliveryConfig,
  ) {
    this.agents = webhookAgents(trustedCas(config));
  }

  /** The new target, and (webhooks) its secret, shown this once. */
  async add(owner: Tenant | null, draft: NewTarget): Promise<Result<{ target: TargetView; secret: string | null }>> {
    if (!TARGET_NAME.test(draft.name)) return fail("a target name is letters, digits, '.', '_' or '-' (at most 64)");
    if (draft.ruleKinds.length === 0) return fail("a target receives the alerts of at least one rule kind");
    const checked = await checkTargetUrl(draft.url, this.config.allowedHosts);
    if (!checked.ok) return checked;
    const { kind, url } = checked.value;
    if (kind === "syslog" && draft.secret !== undefined) return fail("a syslog target has no secret");
    if (draft.secret !== undefined && draft.secret.length < 16)
      return fail("a webhook secret is at least 16 characters");
    const secret = kind === "webhook" ? (draft.secret ?? generateWebhookSecret()) : null;
    const created = await this.store.createTarget({
      tenantId: owner?.id ?? null,
      name: draft.name,
      kind,
      url: url.href,
      sealedSecret: secret === null ? null : sealSecret(secret, this.masterKey, WEBHOOK_SECRET_PURPOSE),
      minSeverity: draft.minSeverity,
      ruleKinds: [...new Set(draft.ruleKinds)],
      enabled: draft.enabled,
      createdAt: this.clock.now(),
    });
    if (!created) return fail(`${ownerText(owner)} already has a target named '${draft.name}'`);
    return ok({ target: view(created), secret });
  }

  async list(owner: Tenant | null): Promise<TargetView[]> {
    return (await this.store.listTargets(owner?.id ?? null)).map(view);
  }

  remove(owner: Tenant | null, name: string): Promise<boolean> {
    return this.store.deleteTarget(owner?.id ?? null, name);
  }

  setEnabled(owner: Tenant | null, name: string, enabled: boolean): Promise<boolean> {
    return this.store.setTargetEnabled(owner?.id ?? null, name, enabled);
  }

  /** Sends a sample alert (alert id 0) to the target now, outside the outbox, and says what came of it. */
  async test(owner: Tenant | null, name: string): Promise<Result<AttemptOutcome>> {
    const target = (await this.store.listTargets(owner?.id ?? null)).find((t) => t.name === name);
    if (!target) return fail(`${ownerText(owner)} has no target named '${name}'`);
    const checked = await checkTargetUrl(target.url, this.config.allowedHosts);
    if (!checked.ok) return ok({ delivered: false, error: checked.error });
    const now = this.clock.now();
    const entry = {
      tenantId: owner?.id ?? 0,
      tenantName: owner?.name ?? "",
      targetId: target.id,
      alert: sampleAlert(now),
    };
    if (checked.value.kind === "syslog") {
      const message = syslogMessage(entry.tenantName, entry.alert, idempotencyKey(entry), now);
      const options = { timeoutMs: this.config.timeoutMs, ca: trustedCas(this.config) };
      return ok(await sendSyslog(checked.value.url, [message], options));
    }
    const secrets = signingSecrets(target, this.masterKey, now);
    if (!secrets) return ok({ delivered: false, error: "the secret cannot be unsealed" });
    return ok(await postAlert(checked.value.url, secrets, entry, now, this.config.timeoutMs, this.agents));
  }

  /**
   * A webhook's new secret (generated when absent), shown this once. The one it replaces keeps
   * signing beside it for `overlapMs`, so the receiver can switch without refusing a request.
   */
  async rotateSecret(
    owner: Tenant | null,
    name: string,
    secret: string | undefined,
    overlapMs: number,
  ): Promise<Result<{ secret: string; previousValidUntil: number }>> {
    if (secret !== undefined && secret.length < 16) return fail("a webhook secret is at least 16 characters");
    if (!Number.isInteger(overlapMs) || overlapMs < 0 || overlapMs > MAX_OVERLAP_MS)
      return fail("the overlap is from 0 to 168 hours");
    const fresh = secret ?? generateWebhookSecret();
    const sealed = sealSecret(fresh, this.masterKey, WEBHOOK_SECRET_PURPOSE);
    const previousValidUntil = this.clock.now() + overlapMs;
    if (!(await this.store.rotateTargetSecret(owner?.id ?? null, name, sealed, previousValidUntil)))
      return fail(`${ownerText(owner)} has no webhook named '${name}'`);
    return ok({ secret: fresh, previousValidUntil });
  }

  async deadLetters(owner: Tenant | null, limit = 1000): Promise<DeadLetter[]> {
    return (await this.store.listDeadLetters(owner?.id ?? null, limit)).map(deadLetter);
  }

  /** Makes dead letters due now, with a fresh count of attempts; `ids` absent: all of them. */
  retry(owner: Tenant | null, ids?: readonly number[]): Promise<number> {
    return this.store.retryDeadLetters(owner?.id ?? null, ids, this.clock.now());
  }

  /** The server-wide syslog receiver of WARDEN_SYSLOG_URL, made (or re-pointed) at start. */
  async ensureServerSyslog(url: string | undefined): Promise<Result<void>> {
    const href = url === undefined ? undefined : URL.canParse(url) ? new URL(url).href : null;
    if (href === null) return fail(`WARDEN_SYSLOG_URL: '${url}' is not a URL`);
    const existing = (await this.store.listTargets(null)).find((t) => t.name === SERVER_SYSLOG_NAME);
    if (existing && existing.url === href) return ok(undefined);
    if (existing) await this.store.deleteTarget(null, SERVER_SYSLOG_NAME);
    if (url === undefined) return ok(undefined);
    const added = await this.add(null, {
      name: SERVER_SYSLOG_NAME,
      url,
      minSeverity: "SEV_010_INFO",
      ruleKinds: ["IOC", "BIOC", "CORRELATION"],
      enabled: true,
    });
    if (added.ok) return ok(undefined);
    // several nodes starting together: another one may have just made the same target
    const made = (await this.store.listTargets(null)).find((t) => t.name === SERVER_SYSLOG_NAME);
    return made?.url === href ? ok(undefined) : fail(`WARDEN_SYSLOG_URL: ${added.error}`);
  }
}

function ownerText(owner: Tenant | null): string {
  return owner ? `tenant '${owner.name}'` : "the server";
}

function view({ sealedSecret, tenantId, ...target }: DeliveryTarget): TargetView {
  return { ...target, hasSecret: sealedSecret !== null };
}

function deadLetter(entry: ClaimedDelivery): DeadLetter {
  return {
    id: entry.id,
    target: entry.target.name,
    idempotencyKey: idempotencyKey(entry),
    alert: entry.alert,
    attempts: entry.attempts,
    lastError: entry.lastError,
    deadAt: entry.deadAt ?? 0,
  };
}

function sampleAlert(now: number): Alert {
  return {
    alertId: 0,
    detectionTimestamp: now,
    source: "IOC",
    ruleId: 0,
    name: "warden test alert",
    severity: "SEV_010_INFO",
    field: "action_remote_ip",
    value: "192.0.2.1",
    event: JSON.stringify({ action_remote_ip: "192.0.2.1", note: "sent by 'warden webhooks test'" }),
    details: null,
  };
}
