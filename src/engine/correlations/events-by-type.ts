/**
 * Events grouped by event type once per batch, so each rule is tried only on the events of the
 * type its query names (most name one): with many rules this is most of the work saved.
 */
import { type EndpointEvent, eventTypeOf } from "../event-model.ts";
import type { CompiledCorrelation } from "./compiled-correlation.ts";

export class EventsByType {
  private readonly byType = new Map<string, EndpointEvent[]>();

  constructor(readonly all: readonly EndpointEvent[]) {
    for (const event of all) {
      const type = eventTypeOf(event);
      if (type === undefined) continue;
      const list = this.byType.get(type);
      if (list) list.push(event);
      else this.byType.set(type, [event]);
    }
  }

  /** The events `compiled` can match. */
  for(compiled: CompiledCorrelation): readonly EndpointEvent[] {
    const type = compiled.plan.eventType;
    return type === undefined ? this.all : (this.byType.get(type) ?? []);
  }
}
