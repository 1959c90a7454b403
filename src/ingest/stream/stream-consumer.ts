/**
 * The JetStream consumer (docs/stream.md): messages of `warden.events.<tenant>` are matched like
 * `POST /logs/v1/event`, their alerts stored, and only then acknowledged. A node that dies holds
 * nothing acknowledged that is not stored; its messages go to another node after the ack wait, and
 * the alerts' keys make the second delivery raise nothing twice.
 */
import type { JsMsg } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { FastifyBaseLogger } from "fastify";
import type { NatsConfig } from "../../config.ts";
import type { CorrelationEngine } from "../../engine/correlations/correlation-engine.ts";
import type { Clock } from "../../lib/clock.ts";
import { Slots } from "../../lib/slots.ts";
import type { Store } from "../../storage/ports.ts";
import type { EventMatching } from "../event-matching.ts";
import { MatchOverrun } from "../match-pool.ts";
import { messageAlerts } from "./message-alerts.ts";
import { loggableNatsUrl, natsSecurityOptions } from "./nats-security.ts";
import { StreamCounters } from "./stream-counters.ts";
import { type BoundConsumer, bindConsumer } from "./stream-setup.ts";
import { TenantNames } from "./tenant-names.ts";

export interface StreamConsumerDeps {
  config: NatsConfig;
  matching: EventMatching;
  store: Store;
  clock: Clock;
  /** Correlation rules run on the same events (absent: IOC and BIOC rules only). */
  correlations?: CorrelationEngine | undefined;
}

type Log = Pick<FastifyBaseLogger, "info" | "warn" | "error">;

/** A failed message (the store unreachable, most likely) comes back after this. */
const RETRY_DELAY_MS = 2000;
/** A failed connection is tried again after this. */
const CONNECT_RETRY_MS = 1000;
/** How often the lag is read from the consumer's info. */
const LAG_EVERY_MS = 2000;
/** How long one pull waits for messages (the server's minimum is a second). */
const FETCH_EXPIRES_MS = 1000;
/** How long a stop waits for the pull loop to end. */
const STOP_WAIT_MS = 5 * FETCH_EXPIRES_MS;
/** Setting up again after the stream could not be bound (JetStream off, stream deleted). */
const REBIND_DELAY_MS = 2000;

/** How a processed message is answered: acknowledged (its alerts stored) or terminated (never redelivered). */
type Verdict = "ack" | "term";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class StreamConsumer {
  readonly counters = new StreamCounters();
  private readonly tenants: TenantNames;
  private readonly slots: Slots;
  private nc: NatsConnection | undefined;
  private stopping = false;
  private running: Promise<void> | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private log: Log | undefined;

  constructor(private readonly deps: StreamConsumerDeps) {
    this.tenants = new TenantNames(deps.store, () => deps.clock.now());
    this.slots = new Slots(deps.config.inflight);
  }

  /** Connects (retrying until nats-server is there) and consumes in the background. */
  start(log: Log): void {
    this.log = log;
    this.running = this.run(log).catch((error: unknown) => {
      if (!this.stopping) log.error({ err: error }, "stream consumer stopped");
    });
  }

  /** Pulls no more messages, finishes (and acknowledges) those in hand, then closes the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.lagTimer);
    // The loop ends within a pull; a nats-server never reached holds it for ever, so stop waits no more than this.
    await Promise.race([this.running, sleep(STOP_WAIT_MS)]);
    await this.slots.drained();
    await this.nc?.drain().catch(() => undefined);
  }

  private async run(log: Log): Promise<void> {
    const { config } = this.deps;
    this.nc = await this.connected(log);
    const nats = loggableNatsUrl(config.url);
    log.info({ nats, stream: config.stream, consumer: config.consumer }, "stream consumer connected");
    while (!this.stopping) {
      try {
        await this.consume(await bindConsumer(this.nc, config));
      } catch (error) {
        if (this.stopping) return;
        log.error({ err: error }, "stream consumer could not bind its stream; trying again");
        await sleep(REBIND_DELAY_MS);
      }
    }
  }

  /**
   * Pulls only as many messages as there are free slots, so a node never holds more than
   * `inflight`; a pull ends after FETCH_EXPIRES_MS, so a stop waits no longer than that for it.
   */
  private async consume(bound: BoundConsumer): Promise<void> {
    clearInterval(this.lagTimer);
    void this.readLag(bound); // at once: a node starting on a backlog reports it before the first interval
    this.lagTimer = setInterval(() => void this.readLag(bound), LAG_EVERY_MS);
    while (!this.stopping) {
      const room = await this.slots.someFree();
      const batch = await bound.consumer.fetch({ max_messages: room, expires: FETCH_EXPIRES_MS });
      for await (const message of batch) {
        this.slots.take();
        void this.handle(message, bound.streamKey).finally(() => this.slots.release());
      }
    }
  }

  private async readLag(bound: BoundConsumer): Promise<void> {
    try {
      const info = await bound.consumer.info();
      this.counters.lag(info.num_pending, info.num_ack_pending);
    } catch {
      // disconnected for now: the last figures stand
    }
  }

  /**
   * Connected once nats-server is there, asking every second; why each attempt failed is logged
   * when the reason changes (not there yet, credentials refused, certificate not trusted), so a
   * wrong setting says so at once and a server still starting does not flood the log. Once
   * connected it reconnects for ever: a restarted nats-server is a pause, not an end.
   */
  private async connected(log: Log): Promise<NatsConnection> {
    const { config } = this.deps;
    const options = {
      servers: config.url,
      name: "warden",
      maxReconnectAttempts: -1,
      reconnectTimeWait: CONNECT_RETRY_MS,
      ...natsSecurityOptions(config.security, config.url),
    };
    let lastReason = "";
    for (;;) {
      try {
        return await connect(options);
      } catch (error) {
        if (this.stopping) throw error;
        const reason = (error as Error).message;
        if (reason !== lastReason)
          log.error({ err: error, nats: loggableNatsUrl(config.url) }, `cannot connect to nats-server: ${reason}`);
        lastReason = reason;
        await sleep(CONNECT_RETRY_MS);
      }
    }
  }

  /**
   * Failures split at the answer. Before it, nothing is acknowledged and what was written is keyed,
   * so the message is given back (nak) and retried in RETRY_DELAY_MS. Once an answer (ack or
   * term) has been tried the client counts the message as answered and drops any later nak
   * without a word (JsMsgImpl.didAck, set before the ack is even sent), so a failure there is not
   * a retry: see `answer`.
   */
  private async handle(message: JsMsg, streamKey: string): Promise<void> {
    this.counters.received(message.redelivered);
    let verdict: Verdict;
    try {
      verdict = await this.process(message, streamKey);
    } catch (error) {
      this.counters.failed();
      this.log?.error({ err: error, subject: message.subject, seq: message.seq }, "stream message failed; retrying");
      this.giveBack(message);
      return;
    }
    await this.answer(message, verdict);
  }

  /**
   * Naks for a retry in RETRY_DELAY_MS. The client throws when the connection has closed meanwhile:
   * uncaught, that would end the process (handle's promise is not awaited); the server then gives
   * the message again after the ack wait instead.
   */
  private giveBack(message: JsMsg): void {
    try {
      message.nak(RETRY_DELAY_MS);
    } catch (error) {
      this.log?.warn(
        { err: error, seq: message.seq },
        "stream message could not be given back: redelivered after the ack wait",
      );
    }
  }

  /**
   * Waits for the server to confirm an ack before the slot is freed: JetStream handles acks and
   * pulls on separate queues, so a plain ack could let the next pull outrun it and the node
   * briefly hold more than `inflight`. An ack not confirmed (nats-server gone or too slow: the
   * client's 5 s request timeout) leaves the alerts stored; whether the server took the ack is
   * unknown, and if it did not it redelivers the message after the ack wait, which stores nothing
   * again (the alerts' keys). A term fails only on a closed connection, with the same outcome.
   */
  private async answer(message: JsMsg, verdict: Verdict): Promise<void> {
    try {
      if (verdict === "ack") await message.ackAck();
      else message.term();
    } catch (error) {
      this.counters.failed();
      const { ackWaitMs } = this.deps.config;
      this.log?.warn(
        { err: error, subject: message.subject, seq: message.seq, ackWaitMs },
        verdict === "ack"
          ? "stream message stored but its ack not confirmed: not retried; the stored alerts are kept, and if the ack was lost the server redelivers the message after the ack wait (adding no alert)"
          : "stream message could not be terminated: the server gives it again after the ack wait",
      );
    }
  }

  /** Matches and stores a message, and says how to answer it; throws (to be retried) before any answer. */
  private async process(message: JsMsg, streamKey: string): Promise<Verdict> {
    const { matching, store, clock, correlations } = this.deps;
    const log = this.log as Log;
    const tenantId = await this.tenants.idOfSubject(message.subject);
    if (tenantId === undefined) {
      this.counters.unknownTenant();
      log.warn({ subject: message.subject, seq: message.seq }, "stream message for no known tenant: terminated");
      return "term";
    }
    // Tells the server this node is still at it, so a long message is not given to another node meanwhile.
    const alive = setInterval(() => message.working(), this.deps.config.ackWaitMs / 3);
    try {
      const found = await messageAlerts(
        { matching, correlations },
        tenantId,
        message.string(),
        `${streamKey}:${message.seq}`,
        clock.now(),
      );
      const added = await store.recordStreamAlerts(tenantId, found.alerts, found.fold);
      this.counters.matched(found.events, found.malformed.length, added);
      if (found.malformed.length > 0)
        log.warn(
          { subject: message.subject, seq: message.seq, malformed: found.malformed.length, first: found.malformed[0] },
          "stream message had lines that are not events: skipped",
        );
      return found.events === 0 && found.malformed.length > 0 ? "term" : "ack";
    } catch (error) {
      if (!(error instanceof MatchOverrun)) throw error;
      // Matching it again would overrun again: the rule or the events must change, not the attempt.
      this.counters.failed();
      log.error(
        { subject: message.subject, seq: message.seq, err: error },
        "stream message overran matching: terminated",
      );
      return "term";
    } finally {
      // Stopped before the answer: once answered, the client drops these anyway.
      clearInterval(alive);
    }
  }
}
