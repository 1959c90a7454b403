/**
 * Which events each correlation rule is tried on. Rules are filed by the event type their query
 * names and, when every match needs `field = "value"`, by that value (as BIOCs are): an event is
 * tried only on the rules of its type that need none, or whose value it holds. With many rules
 * this is most of the work saved.
 */
import { getOrCreate } from "../../lib/maps.ts";
import { eventTexts } from "../bioc-leaf-index.ts";
import { type EndpointEvent, eventTypeOf, fieldValue } from "../event-model.ts";
import type { CompiledCorrelation } from "./compiled-correlation.ts";

interface TypeGroup {
  equal: Map<string, Map<string, CompiledCorrelation[]>>;
  always: CompiledCorrelation[];
}

const ANY_TYPE = "\u0000any";

function emptyGroup(): TypeGroup {
  return { equal: new Map(), always: [] };
}

export class CorrelationIndex {
  private readonly groups = new Map<string, TypeGroup>();

  constructor(readonly rules: readonly CompiledCorrelation[]) {
    for (const rule of rules) {
      const type = rule.plan.eventType ?? ANY_TYPE;
      const group = getOrCreate(this.groups, type, emptyGroup);
      const required = rule.plan.required;
      if (!required) {
        group.always.push(rule);
        continue;
      }
      const byText = getOrCreate(group.equal, required.field, () => new Map<string, CompiledCorrelation[]>());
      for (const text of new Set(required.values)) {
        const list = byText.get(text);
        if (list) list.push(rule);
        else byText.set(text, [rule]);
      }
    }
  }

  /** For each rule, the indexes of the events it may match, ascending. */
  route(events: readonly EndpointEvent[]): Map<CompiledCorrelation, number[]> {
    const routed = new Map<CompiledCorrelation, number[]>();
    const add = (rule: CompiledCorrelation, index: number) => {
      const list = routed.get(rule);
      if (!list) routed.set(rule, [index]);
      else if (list.at(-1) !== index) list.push(index);
    };
    const any = this.groups.get(ANY_TYPE);
    events.forEach((event, index) => {
      const type = eventTypeOf(event);
      const typed = type === undefined ? undefined : this.groups.get(type);
      if (typed) this.routeGroup(typed, event, index, add);
      if (any) this.routeGroup(any, event, index, add);
    });
    return routed;
  }

  private routeGroup(
    group: TypeGroup,
    event: EndpointEvent,
    index: number,
    add: (rule: CompiledCorrelation, index: number) => void,
  ): void {
    for (const rule of group.always) add(rule, index);
    for (const [field, byText] of group.equal)
      for (const text of eventTexts(fieldValue(event, field)))
        for (const rule of byText.get(text) ?? []) add(rule, index);
  }
}

/** The events of `indexes`. */
export function pick(events: readonly EndpointEvent[], indexes: readonly number[] | undefined): EndpointEvent[] {
  return indexes === undefined ? [] : indexes.map((i) => events[i] as EndpointEvent);
}
