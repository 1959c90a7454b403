import { createHash } from "node:crypto";
import type { IocDraft } from "../domain/ioc/ioc-model.ts";

/**
 * What an object said, in short: a re-import whose object says the same of a rule that still
 * exists writes nothing (no new modification time, no audit entry).
 */
export function intelFingerprint(draft: IocDraft): string {
  const said = [
    draft.type,
    draft.indicator,
    draft.severity,
    draft.expirationDate,
    draft.comment,
    draft.reputation,
    draft.reliability,
    // only when switched off, so the fingerprints of every link written before stay the same
    ...(draft.enabled === false ? ["disabled"] : []),
  ];
  return createHash("sha1").update(JSON.stringify(said)).digest("base64url");
}
