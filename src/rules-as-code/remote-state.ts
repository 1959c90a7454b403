/** What a server holds, read through the SDK, in the repository's terms (no server-only fields). */
import { getAll, WardenApiError, type WardenClient } from "../../packages/sdk/src/index.ts";
import type { IocType } from "../domain/ioc/ioc-model.ts";
import { canonicalIndicator } from "../domain/ioc/ioc-values.ts";
import { apiPath, BIOC_KIND, CORRELATION_KIND, IOC_COLUMNS, type KindName, type NamedKind } from "./rule-kinds.ts";

export interface RemoteRule {
  kind: KindName;
  key: string;
  ruleId: number;
  fields: Record<string, unknown>;
}

export interface RemoteState {
  rules: RemoteRule[];
  /** Kinds this server does not have (it answered 404), with why they were left out. */
  skipped: { kind: KindName; reason: string }[];
}

function pick(object: Record<string, unknown>, keep: (field: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([field]) => keep(field)));
}

async function remoteIocs(client: WardenClient): Promise<RemoteRule[]> {
  const objects = await getAll(client, apiPath("indicators", "get") as "/public_api/v1/indicators/get");
  return objects.map((object) => ({
    kind: "ioc",
    key: canonicalIndicator(object.type as IocType, object.indicator) ?? object.indicator,
    ruleId: object.rule_id,
    fields: pick(object, (field) => (IOC_COLUMNS as readonly string[]).includes(field)),
  }));
}

const PAGE = 1_000;

/** Pages through a named kind with the SDK's raw call, which also reaches routes its types lack. */
async function remoteNamed(client: WardenClient, kind: NamedKind): Promise<RemoteRule[] | undefined> {
  const rules: RemoteRule[] = [];
  for (let from = 0; ; from += PAGE) {
    const { status, body } = await client.raw(apiPath(kind.api, "get"), { search_from: from, search_to: from + PAGE });
    if (status === 404 && from === 0) return undefined;
    if (status !== 200) throw new WardenApiError(status, body);
    const reply = body as { objects: Record<string, unknown>[]; objects_count: number };
    for (const object of reply.objects)
      rules.push({
        kind: kind.kind,
        key: String(object.name),
        ruleId: Number(object.rule_id),
        fields: pick(object, (field) => !kind.serverFields.includes(field)),
      });
    if (reply.objects.length < PAGE || from + PAGE >= reply.objects_count) return rules;
  }
}

export async function readRemote(client: WardenClient): Promise<RemoteState> {
  const state: RemoteState = { rules: await remoteIocs(client), skipped: [] };
  for (const kind of [BIOC_KIND, CORRELATION_KIND]) {
    const rules = await remoteNamed(client, kind);
    if (rules) state.rules.push(...rules);
    else state.skipped.push({ kind: kind.kind, reason: `the server has no ${kind.api} API (404); left out` });
  }
  return state;
}
