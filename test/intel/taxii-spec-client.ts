/**
 * A TAXII 2.1 client written for the tests from the specification alone (OASIS TAXII 2.1,
 * sections 1.6 media types and Basic auth, 3.4 URL filters and paging, 4.1 discovery, 4.2 API
 * root, 5.1-5.6 collections, objects, manifest, versions), to judge Warden's server from outside.
 * npm has no maintained TAXII 2.1 client to use instead (see the report in SECURITY.md).
 */
import assert from "node:assert/strict";

export const TAXII = "application/taxii+json;version=2.1";

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON the tests check field by field
type Json = any;

export class SpecTaxiiClient {
  constructor(
    private readonly base: string,
    private readonly user: string,
    private readonly password: string,
  ) {}

  /** GETs a TAXII resource; every answer must carry the TAXII media type exactly (section 1.6.1). */
  async get(
    path: string,
    params: Record<string, string> = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await fetch(url, {
      headers: {
        accept: TAXII,
        authorization: `Basic ${Buffer.from(`${this.user}:${this.password}`).toString("base64")}`,
      },
    });
    assert.equal(res.headers.get("content-type"), TAXII, `${url}: media type`);
    return { status: res.status, body: await res.json(), headers: res.headers };
  }

  async ok(path: string, params: Record<string, string> = {}) {
    const res = await this.get(path, params);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res;
  }

  async discover(): Promise<{ default?: string; api_roots: string[] }> {
    const { body } = await this.ok("/taxii2/");
    assert.equal(typeof body.title, "string");
    assert.ok(Array.isArray(body.api_roots));
    return body;
  }

  async collections(root: string): Promise<{ id: string; can_read: boolean; media_types?: string[] }[]> {
    const info = (await this.ok(root)).body;
    assert.ok(info.versions.includes(TAXII), "the API root speaks TAXII 2.1");
    const { body } = await this.ok(`${root}collections/`);
    for (const c of body.collections ?? []) {
      assert.equal(typeof c.id, "string");
      assert.equal(typeof c.title, "string");
      assert.equal(typeof c.can_read, "boolean");
      assert.equal(typeof c.can_write, "boolean");
    }
    return body.collections ?? [];
  }

  /** Every object, following `next` while `more` (section 3.4.2), `limit` at a time. */
  async allObjects(root: string, collection: string, limit: number, params: Record<string, string> = {}) {
    return this.allOf(`${root}collections/${collection}/objects/`, limit, params);
  }

  /** Every manifest record (section 5.3), paged the same way. */
  async allManifest(root: string, collection: string, limit: number, params: Record<string, string> = {}) {
    const { objects } = await this.allOf(`${root}collections/${collection}/manifest/`, limit, params);
    return objects as { id: string; date_added: string; version: string; media_type: string }[];
  }

  private async allOf(path: string, limit: number, params: Record<string, string>) {
    const objects: Record<string, unknown>[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const query: Record<string, string> = { ...params, limit: String(limit), ...(next ? { next } : {}) };
      const { body, headers } = await this.ok(path, query);
      const page = (body.objects ?? []) as Record<string, unknown>[];
      assert.ok(page.length <= limit, "a page holds at most limit objects");
      if (page.length > 0) {
        assert.ok(headers.get("x-taxii-date-added-first"), "X-TAXII-Date-Added-First");
        assert.ok(headers.get("x-taxii-date-added-last"), "X-TAXII-Date-Added-Last");
      }
      objects.push(...page);
      assert.equal(typeof body.more, "boolean");
      next = body.more ? body.next : undefined;
      if (body.more) assert.equal(typeof next, "string", "more pages come with next");
      pages += 1;
    } while (next !== undefined);
    return { objects, pages };
  }
}
