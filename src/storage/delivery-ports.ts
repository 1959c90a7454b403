/**
 * What alert delivery (src/delivery) needs of a store: the targets, and the outbox that the alert
 * write fills in the same transaction, so an alert that is stored is owed to its targets even if
 * the process dies before it sends anything (delivery at least once).
 */
import type { DeliveryTarget, NewDeliveryTarget, OutboxEntry } from "../delivery/delivery-model.ts";

/** An entry taken for one attempt, with the target it goes to. */
export interface ClaimedDelivery extends OutboxEntry {
  target: DeliveryTarget;
}

/** A failed attempt: tried again at `nextAttemptAt`, or (deadAt set) moved to the dead letters. */
export interface DeliveryFailure {
  id: number;
  attempts: number;
  nextAttemptAt: number;
  error: string;
  deadAt: number | null;
}

export interface DeliveryStore {
  /** Undefined when the owner (tenant, or server-wide) already has a target of that name. */
  createTarget(target: NewDeliveryTarget): Promise<DeliveryTarget | undefined>;
  /** A tenant's own targets; null: the server-wide ones. */
  listTargets(tenantId: number | null): Promise<DeliveryTarget[]>;
  /** Deletes the target and everything still owed to it. */
  deleteTarget(tenantId: number | null, name: string): Promise<boolean>;
  setTargetEnabled(tenantId: number | null, name: string, enabled: boolean): Promise<boolean>;
  /**
   * A webhook's new sealed secret; the one it replaces is kept until `previousUntil`. False when the
   * owner has no webhook of that name.
   */
  rotateTargetSecret(
    tenantId: number | null,
    name: string,
    sealedSecret: Buffer,
    previousUntil: number,
  ): Promise<boolean>;
  /**
   * Takes up to `limit` due entries (not dead, next attempt at or before `now`) for `leaseMs`: no
   * other node takes them meanwhile, and if this one dies they fall due again when the lease ends.
   */
  claimDeliveries(now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]>;
  /** Whether any entry is due: a read, so an idle round takes no write lock (a claim does). */
  hasDueDeliveries(now: number): Promise<boolean>;
  /** Delivered: the entries leave the outbox. */
  recordDelivered(ids: readonly number[]): Promise<void>;
  recordFailures(failures: readonly DeliveryFailure[]): Promise<void>;
  /** Entries of this tenant's alerts that its own targets (null: the server-wide ones) gave up on, oldest first. */
  listDeadLetters(tenantId: number | null, limit: number): Promise<ClaimedDelivery[]>;
  /** Makes dead letters due again with a fresh count of attempts; `ids` absent: all of the owner's. */
  retryDeadLetters(tenantId: number | null, ids: readonly number[] | undefined, now: number): Promise<number>;
}
