/**
 * Sends what the outbox owes: claims due entries, attempts each (webhooks one request per alert,
 * syslog one connection per receiver and round), and records the outcome. A failure is retried
 * after an exponential backoff with jitter; after maxAttempts it becomes a dead letter.
 */
import type { Clock } from "../lib/clock.ts";
import type { ClaimedDelivery, DeliveryFailure, DeliveryStore } from "../storage/delivery-ports.ts";
import { retryDelay } from "./backoff.ts";
import { type DeliveryConfig, trustedCas } from "./delivery-config.ts";
import { type AttemptOutcome, type DeliveryTarget, idempotencyKey } from "./delivery-model.ts";
import { syslogMessage } from "./syslog-message.ts";
import { type SyslogOptions, sendSyslog } from "./syslog-sender.ts";
import { checkTargetUrl } from "./target-url.ts";
import { signingSecrets } from "./webhook-secret.ts";
import { postAlert, type WebhookAgents, webhookAgents } from "./webhook-sender.ts";

/** Webhook requests in flight at once within a round. */
const CONCURRENCY = 8;

export class DeliveryDispatcher {
  private readonly agents: WebhookAgents;
  private readonly syslogOptions: SyslogOptions;

  constructor(
    private readonly store: DeliveryStore,
    private readonly masterKey: Buffer,
    private readonly clock: Clock,
    private readonly config: DeliveryConfig,
  ) {
    const ca = trustedCas(config);
    this.agents = webhookAgents(ca);
    this.syslogOptions = { timeoutMs: config.timeoutMs, ca };
  }

  /** A claim outlives the slowest round, so no other node takes an entry this one is still sending. */
  private get leaseMs(): number {
    return this.config.timeoutMs * (Math.ceil(this.config.batch / CONCURRENCY) + 2);
  }

  /** One round; answers how many entries it attempted (0: nothing was due). */
  async runRound(): Promise<number> {
    const now = this.clock.now();
    // an idle server asks with a read: a claim takes the write lock, which another process may hold
    if (!(await this.store.hasDueDeliveries(now))) return 0;
    const claimed = await this.store.claimDeliveries(now, this.leaseMs, this.config.batch);
    const outcomes = new Map<number, AttemptOutcome>();
    for (const [target, entries] of byTarget(claimed))
      for (const [id, outcome] of await this.attempt(target, entries, now)) outcomes.set(id, outcome);
    await this.record(claimed, outcomes, now);
    return claimed.length;
  }

  /** Rounds until nothing is due (the CLI and tests; `serve` runs rounds on a timer). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.runRound(); n > 0; n = await this.runRound()) total += n;
    return total;
  }

  private async attempt(
    target: DeliveryTarget,
    entries: ClaimedDelivery[],
    now: number,
  ): Promise<Map<number, AttemptOutcome>> {
    const checked = await checkTargetUrl(target.url, this.config.allowedHosts);
    if (!checked.ok) return new Map(entries.map((e) => [e.id, { delivered: false, error: checked.error }]));
    if (checked.value.kind === "syslog") {
      const messages = entries.map((e) => syslogMessage(e.tenantName, e.alert, idempotencyKey(e), now));
      const outcome = await sendSyslog(checked.value.url, messages, this.syslogOptions);
      return new Map(entries.map((e) => [e.id, outcome]));
    }
    const secrets = signingSecrets(target, this.masterKey, now);
    if (!secrets)
      return new Map(entries.map((e) => [e.id, { delivered: false, error: "the secret cannot be unsealed" }]));
    const outcomes = new Map<number, AttemptOutcome>();
    const queue = [...entries];
    const worker = async () => {
      for (let e = queue.shift(); e; e = queue.shift())
        outcomes.set(e.id, await postAlert(checked.value.url, secrets, e, now, this.config.timeoutMs, this.agents));
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, entries.length) }, worker));
    return outcomes;
  }

  private async record(claimed: ClaimedDelivery[], outcomes: Map<number, AttemptOutcome>, now: number): Promise<void> {
    const delivered: number[] = [];
    const failures: DeliveryFailure[] = [];
    for (const entry of claimed) {
      const outcome = outcomes.get(entry.id) ?? { delivered: false, error: "not attempted" };
      if (outcome.delivered) {
        delivered.push(entry.id);
        continue;
      }
      const attempts = entry.attempts + 1;
      const dead = attempts >= this.config.maxAttempts;
      failures.push({
        id: entry.id,
        attempts,
        nextAttemptAt: now + retryDelay(this.config.backoff, attempts),
        error: outcome.error.slice(0, 500),
        deadAt: dead ? now : null,
      });
    }
    if (delivered.length > 0) await this.store.recordDelivered(delivered);
    if (failures.length > 0) await this.store.recordFailures(failures);
  }
}

function byTarget(entries: ClaimedDelivery[]): Map<DeliveryTarget, ClaimedDelivery[]> {
  const groups = new Map<number, [DeliveryTarget, ClaimedDelivery[]]>();
  for (const entry of entries) {
    const group = groups.get(entry.targetId) ?? [entry.target, []];
    group[1].push(entry);
    groups.set(entry.targetId, group);
  }
  return new Map(groups.values());
}

/** Runs rounds in the background of `warden serve`; a round that finds work is followed at once by another. */
export function startDeliveryLoop(
  dispatcher: DeliveryDispatcher,
  tickMs: number,
  onError: (error: unknown) => void,
): () => void {
  if (tickMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    dispatcher
      .drain()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
