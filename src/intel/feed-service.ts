/**
 * TAXII 2.1 feeds: a tenant subscribes to a collection, and each pull asks only for what was added
 * after the last one, imports it like a file (src/intel/intel-importer.ts), and records when, what
 * and any error. The password is sealed under the master key, as advanced API key secrets are.
 */

import { sealSecret, unsealSecret } from "../domain/keys/key-secrets.ts";
import type { Tenant } from "../domain/tenants/tenant-model.ts";
import type { Clock } from "../lib/clock.ts";
import { fail, ok, type Result } from "../lib/result.ts";
import type { IntelFeed, IntelFeedStore } from "../storage/ports.ts";
import { checkFeedUrl } from "./feed-url.ts";
import type { ImportSummary } from "./intel-model.ts";
import type { IntelService } from "./intel-service.ts";
import { readStix } from "./stix-reader.ts";
import { pullCollection } from "./taxii-client.ts";

// Binds a sealed password to its use, so it cannot pass for an API key secret or the reverse.
const PASSWORD_PURPOSE = Buffer.from("warden:taxii-feed-password:v1");
const FEED_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface NewFeed {
  name: string;
  url: string;
  collectionId: string;
  username: string | undefined;
  password: string | undefined;
  pollSeconds: number;
}

/** A feed as it is shown: never its password. */
export type FeedView = Omit<IntelFeed, "sealedPassword"> & { hasPassword: boolean };

export class FeedService {
  constructor(
    private readonly store: IntelFeedStore,
    private readonly intel: IntelService,
    private readonly masterKey: Buffer,
    private readonly clock: Clock,
    private readonly allowedHosts: readonly string[],
  ) {}

  async add(tenant: Tenant, feed: NewFeed): Promise<Result<FeedView>> {
    if (!FEED_NAME.test(feed.name)) return fail("a feed name is letters, digits, '.', '_' or '-'");
    if (!Number.isInteger(feed.pollSeconds) || feed.pollSeconds < 60)
      return fail("the poll interval is at least 60 seconds");
    const url = await checkFeedUrl(feed.url, this.allowedHosts);
    if (!url.ok) return url;
    const created = await this.store.createFeed({
      tenantId: tenant.id,
      name: feed.name,
      url: url.value.href,
      collectionId: feed.collectionId,
      username: feed.username ?? null,
      sealedPassword: feed.password === undefined ? null : sealSecret(feed.password, this.masterKey, PASSWORD_PURPOSE),
      pollSeconds: feed.pollSeconds,
    });
    return created ? ok(view(created)) : fail(`tenant '${tenant.name}' already has a feed named '${feed.name}'`);
  }

  async list(tenant: Tenant): Promise<FeedView[]> {
    return (await this.store.listFeeds(tenant.id)).map(view);
  }

  /** One feed of the tenant, or undefined. */
  async get(tenant: Tenant, name: string): Promise<FeedView | undefined> {
    return (await this.list(tenant)).find((f) => f.name === name);
  }

  remove(tenant: Tenant, name: string): Promise<boolean> {
    return this.store.deleteFeed(tenant.id, name);
  }

  /** Pulls one feed of the tenant now. */
  async pullNamed(tenant: Tenant, name: string): Promise<Result<ImportSummary>> {
    const feed = (await this.store.listFeeds(tenant.id)).find((f) => f.name === name);
    return feed ? this.pull(feed) : fail(`tenant '${tenant.name}' has no feed named '${name}'`);
  }

  /** Pulls every feed whose interval has passed (the poller's round); a failing feed does not stop the others. */
  async pullDue(): Promise<void> {
    const now = this.clock.now();
    for (const feed of await this.store.listFeeds(null))
      if (feed.lastPullAt === null || now - feed.lastPullAt >= feed.pollSeconds * 1000) await this.pull(feed);
  }

  private async pull(feed: IntelFeed): Promise<Result<ImportSummary>> {
    const startedAt = this.clock.now();
    try {
      const url = await checkFeedUrl(feed.url, this.allowedHosts);
      if (!url.ok) throw new Error(url.error);
      const password = feed.sealedPassword && unsealSecret(feed.sealedPassword, this.masterKey, PASSWORD_PURPOSE);
      const pulled = await pullCollection(
        { url: url.value, collectionId: feed.collectionId, username: feed.username, password: password ?? null },
        feed.addedAfter,
      );
      const summary = await this.intel.import({
        tenantId: feed.tenantId,
        batch: readStix({ objects: pulled.objects }),
        source: `TAXII feed ${feed.name}`,
        actor: { name: `TAXII feed - ${feed.name}`, address: null },
      });
      const counts = { ...summary, rejected: summary.rejected.length, objects: pulled.objects.length };
      await this.store.recordPull(feed.id, {
        addedAfter: pulled.addedLast ?? feed.addedAfter,
        lastPullAt: startedAt,
        lastError: null,
        lastSummary: JSON.stringify(counts),
      });
      return ok(summary);
    } catch (error) {
      const message = (error as Error).message;
      const kept = { addedAfter: feed.addedAfter, lastSummary: feed.lastSummary };
      await this.store.recordPull(feed.id, { ...kept, lastPullAt: startedAt, lastError: message });
      return fail(`pulling feed '${feed.name}' failed: ${message}`);
    }
  }
}

function view({ sealedPassword, ...feed }: IntelFeed): FeedView {
  return { ...feed, hasPassword: sealedPassword !== null };
}
