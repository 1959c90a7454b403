/**
 * What the domain needs from a store. Every rule method takes the tenant id first: a tenant never
 * sees, counts or touches another tenant's rules. Each backend passes test/store-contract.ts.
 */
import type { Alert, NewAlert } from "../domain/alerts/alert-model.ts";
import type { AuditEntry, AuditOrder, AuditRefusal, ChangeContext } from "../domain/audit/audit-model.ts";
import type { BiocDraft, BiocRule } from "../domain/bioc/bioc-model.ts";
import type { RuleFilter, RulePage } from "../domain/filters/filter-model.ts";
import type { ExpiryDefaults, IocDraft, IocRule, IocType, Severity } from "../domain/ioc/ioc-model.ts";
import type { ApiKeyRecord, NewApiKey } from "../domain/keys/key-model.ts";
import type { License, Tenant } from "../domain/tenants/tenant-model.ts";
import type { CorrelationStore } from "./correlation-ports.ts";
import type { DeliveryStore } from "./delivery-ports.ts";
import type { SharedLimitStore } from "./limit-ports.ts";
import type { RetentionStore } from "./retention-ports.ts";
import type { RuleCountStore } from "./rule-counts.ts";
import type { StreamAlertStore } from "./stream-ports.ts";

/**
 * Every write names its actor and time (ChangeContext): the store records each change it makes
 * in the audit log, in the same transaction. A rule write also names the source the rule shows.
 */
export interface WriteContext extends ChangeContext {
  source: string;
  /**
   * For `upsertIocs` only, parallel to its drafts: the intel link each draft makes once it holds a
   * rule (src/intel), written in the upsert's own transaction so no rule is left without its link.
   */
  links?: readonly DraftLink[];
}

/** An intel link before its rule id is known. */
export type DraftLink = Omit<IntelLink, "ruleId">;

/** What happened to one item of a bulk upsert, in request order. */
export type UpsertOutcome =
  | { kind: "created"; ruleId: number }
  | { kind: "updated"; ruleId: number }
  | { kind: "failed"; reason: "rule_not_found" | "indicator_exists" | "name_exists" };

export interface RulePageResult<R> {
  /** How many rules match the filters in all, not just this page. */
  total: number;
  rules: R[];
}

/** One entry of the IOC change feed. */
export interface IocChange {
  rule: IocRule;
  /** When it was written, expired or deleted. */
  changeTime: number;
  deleted: boolean;
}

/** A place in the change feed: changes come in (change time, rule id) order. */
export interface IocChangeKey {
  time: number;
  ruleId: number;
}

export interface TenantStore {
  /** Undefined when the name is taken. */
  createTenant(name: string, license: License, ctx: ChangeContext): Promise<Tenant | undefined>;
  getTenant(tenantId: number): Promise<Tenant | undefined>;
  findTenantByName(name: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
}

export interface KeyStore {
  createKey(key: NewApiKey, ctx: ChangeContext): Promise<ApiKeyRecord>;
  /** Key ids are global: the id names the tenant. */
  getKey(keyId: number): Promise<ApiKeyRecord | undefined>;
  /** The key and its tenant in one read: authentication needs both on every request. */
  getKeyWithTenant(keyId: number): Promise<{ key: ApiKeyRecord; tenant: Tenant } | undefined>;
  listKeys(tenantId?: number): Promise<ApiKeyRecord[]>;
  /** False when no such key, or it was already revoked. */
  revokeKey(keyId: number, ctx: ChangeContext): Promise<boolean>;
  /**
   * Records what an advanced request spent (its nonce, and its signature) until `expiresAt`.
   * False when any of them was already recorded and has not yet expired: a replay.
   * Expired entries are forgotten, so the table stays bounded.
   */
  rememberNonces(keyId: number, nonces: readonly string[], expiresAt: number, now: number): Promise<boolean>;
  /**
   * Binds this tenant's IOC source name to `keyId` unless a key that is still live (not revoked,
   * not expired at `now`) holds it already; answers the key that holds it after.
   */
  claimSource(tenantId: number, source: string, keyId: number, now: number): Promise<number>;
}

/**
 * IOC rules. `upsertIocs` applies the contract's four paths (section 4.1) in request order, in
 * one transaction: a draft without rule id creates a rule, or updates the rule holding the same
 * canonical value; a draft with a rule id overwrites that rule of this tenant (keeping its
 * creation time), fails with `rule_not_found` when the tenant has none, and with
 * `indicator_exists` when another rule holds the value. Nothing is written unless all is.
 */
export interface IocStore {
  upsertIocs(tenantId: number, drafts: readonly IocDraft[], ctx: WriteContext): Promise<UpsertOutcome[]>;
  findIocs(
    tenantId: number,
    filters: readonly RuleFilter[],
    page: RulePage,
    now: number,
  ): Promise<RulePageResult<IocRule>>;
  /** Deletes every matching rule in one transaction (leaving tombstones for the feed); answers their ids ascending. */
  deleteIocs(tenantId: number, filters: readonly RuleFilter[], ctx: ChangeContext): Promise<number[]>;
  /**
   * In one transaction: deletes this tenant's rules whose source is `ctx.source` and whose value is
   * not among the drafts, then upserts the drafts (which take that source).
   */
  replaceIocsOfSource(
    tenantId: number,
    drafts: readonly IocDraft[],
    ctx: WriteContext,
  ): Promise<{ outcomes: UpsertOutcome[]; deleted: number }>;
  /** Enables or disables the rules holding these canonical values; answers their ids ascending. */
  setIocsEnabled(
    tenantId: number,
    canonicals: readonly string[],
    enabled: boolean,
    ctx: ChangeContext,
  ): Promise<number[]>;
  /** Every rule written, expired or deleted after `since` (up to `now`), oldest change first. */
  iocChanges(tenantId: number, since: number, now: number): Promise<IocChange[]>;
  /**
   * The same feed a page at a time: at most `limit` changes after `after`, as of `now`. A page reads
   * only its own rows (keyset paging on indexes), so the last page of a big tenant costs the first's.
   */
  iocChangePage(tenantId: number, after: IocChangeKey, now: number, limit: number): Promise<IocChange[]>;
  getExpiryDefaults(tenantId: number): Promise<ExpiryDefaults>;
  /** Sets (days) or clears (null) a type's default expiry and re-dates the rules using it; answers how many. */
  setExpiryDefault(tenantId: number, type: IocType, days: number | null, ctx: ChangeContext): Promise<number>;
}

/** BIOC rules: upsert by rule id only (names are not unique). */
export interface BiocStore {
  upsertBiocs(tenantId: number, drafts: readonly BiocDraft[], ctx: WriteContext): Promise<UpsertOutcome[]>;
  findBiocs(tenantId: number, filters: readonly RuleFilter[], page: RulePage): Promise<RulePageResult<BiocRule>>;
  deleteBiocs(tenantId: number, filters: readonly RuleFilter[], ctx: ChangeContext): Promise<number[]>;
}

/** What the engine needs of a stored IOC rule. */
export interface MatchableIoc {
  ruleId: number;
  canonical: string;
  indicator: string;
  type: IocType;
  severity: Severity;
  expirationDate: number;
}

/** What the engine needs of a stored BIOC rule. */
export interface MatchableBioc {
  ruleId: number;
  name: string;
  severity: Severity;
  isXql: boolean;
  indicator: unknown;
}

/** The engine's view: a tenant's enabled rules, and a version that changes whenever they may have. */
export interface RuleSetStore {
  ruleSetVersion(tenantId: number): Promise<number>;
  /** Every enabled IOC rule, expired ones included (the engine checks expiry per event). */
  forEachMatchableIoc(tenantId: number, visit: (rule: MatchableIoc) => void): Promise<void>;
  listMatchableBiocs(tenantId: number): Promise<MatchableBioc[]>;
}

export interface AlertStore {
  /** Stores the alerts and raises each hit rule's number_of_issues, in one transaction; answers the new alert ids. */
  recordAlerts(tenantId: number, alerts: readonly NewAlert[]): Promise<number[]>;
  findAlerts(tenantId: number, filters: readonly RuleFilter[], page: RulePage): Promise<RulePageResult<Alert>>;
}

/** The audit log the stores write as they change things; read newest or oldest first, in pages. */
export interface AuditStore {
  /**
   * A tenant's entries matching the filters (fields: timestamp, type, sub_type, result, email,
   * owner_name, audit_id). `tenantId` null reads every tenant's: the operator's CLI view only.
   */
  findAudit(
    tenantId: number | null,
    filters: readonly RuleFilter[],
    page: RulePage,
    order: AuditOrder,
  ): Promise<RulePageResult<AuditEntry>>;
  /** Records a write Warden refused, with result FAIL, in the tenant's log (changes come from the triggers). */
  recordRefusal(tenantId: number, refusal: AuditRefusal): Promise<void>;
}

/** Which rule an imported intelligence object made (src/intel): its identity in the source, kept per tenant. */
export interface IntelLink {
  /** The source's identity of the object (a STIX id, a MISP uuid). */
  externalId: string;
  /** Tells apart the rules of one object; "" when it made one. */
  part: string;
  ruleId: number;
  /** What the object said when last imported (src/intel/intel-fingerprint.ts). */
  fingerprint: string;
}

/**
 * The links from imported objects to the rules they made, so a later import of the same object
 * updates (or deletes) its rule. Links are not rules: they leave no audit entries of their own.
 */
export interface IntelLinkStore {
  /** Every link of these objects, each with whether its rule still exists. */
  findIntelLinks(tenantId: number, externalIds: readonly string[]): Promise<(IntelLink & { live: boolean })[]>;
  /** Adds or replaces links (one per object and part). */
  saveIntelLinks(tenantId: number, links: readonly IntelLink[]): Promise<void>;
  removeIntelLinks(tenantId: number, links: readonly Pick<IntelLink, "externalId" | "part">[]): Promise<void>;
  /** The links naming these rules (a rule may have several). */
  intelLinksOfRules(tenantId: number, ruleIds: readonly number[]): Promise<IntelLink[]>;
}

/** A TAXII 2.1 collection a tenant pulls IOC rules from. */
export interface IntelFeed {
  id: number;
  tenantId: number;
  name: string;
  /** The API root's URL. */
  url: string;
  collectionId: string;
  username: string | null;
  /** The password, sealed under the master key (src/domain/keys/key-secrets.ts). */
  sealedPassword: Buffer | null;
  pollSeconds: number;
  /** The last X-TAXII-Date-Added-Last pulled: the next pull asks only for what came after. */
  addedAfter: string | null;
  lastPullAt: number | null;
  lastError: string | null;
  /** The last pull's counts, as JSON. */
  lastSummary: string | null;
}

export type NewIntelFeed = Omit<IntelFeed, "id" | "addedAfter" | "lastPullAt" | "lastError" | "lastSummary">;

export interface IntelFeedStore {
  /** Undefined when the tenant has a feed of that name. */
  createFeed(feed: NewIntelFeed): Promise<IntelFeed | undefined>;
  /** One tenant's feeds, or (null) every tenant's, for the poller. */
  listFeeds(tenantId: number | null): Promise<IntelFeed[]>;
  deleteFeed(tenantId: number, name: string): Promise<boolean>;
  recordPull(
    feedId: number,
    pull: Pick<IntelFeed, "addedAfter" | "lastPullAt" | "lastError" | "lastSummary">,
  ): Promise<void>;
}

export interface Store
  extends TenantStore,
    KeyStore,
    IocStore,
    BiocStore,
    CorrelationStore,
    RuleSetStore,
    AlertStore,
    AuditStore,
    IntelLinkStore,
    IntelFeedStore,
    RuleCountStore,
    DeliveryStore,
    RetentionStore,
    StreamAlertStore {
  /** Abuse-limit counters every node shares (PostgreSQL); absent on a single-process store. */
  sharedLimits?: SharedLimitStore;
  /** Cheap liveness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
