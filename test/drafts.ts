/** Store-level drafts with the contract's defaults, for the store and audit contract suites. */
import type { BiocDraft } from "../src/domain/bioc/bioc-model.ts";
import type { IocDraft } from "../src/domain/ioc/ioc-model.ts";

export function ioc(indicator: string, extra: Partial<IocDraft> = {}): IocDraft {
  return {
    ruleId: undefined,
    indicator,
    canonical: indicator.toLowerCase(),
    type: "FILENAME",
    severity: "SEV_010_INFO",
    expirationDate: -1,
    defaultExpirationEnabled: false,
    comment: "",
    reputation: "UNKNOWN",
    reliability: null,
    vendors: null,
    klass: null,
    ...extra,
  };
}

export function bioc(name: string, extra: Partial<BiocDraft> = {}): BiocDraft {
  return {
    ruleId: undefined,
    name,
    type: "OTHER",
    severity: "SEV_010_INFO",
    comment: "",
    status: "enabled",
    isXql: true,
    indicator: "dataset = xdr_data | filter event_type = ENUM.FILE",
    mitreTacticIdAndName: [],
    mitreTechniqueIdAndName: [],
    ...extra,
  };
}
