import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GroupState } from "./aggregation.ts";
import { type CorrelatedEvents, joinCorrelated } from "./correlation-batch.ts";

const group = (groupKey: string): GroupState => ({ bucket: 0, groupKey, states: [] });

describe("joinCorrelated", () => {
  it("joins pieces as one run: a rule keeps its first place, its rows and their lines follow in piece order", () => {
    const first: CorrelatedEvents = {
      realTime: [{ ruleId: 7, rows: [{ n: 1 }, { n: 2 }], lines: [3, 9] }],
      scheduled: [{ ruleId: 5, groups: [group("a")] }],
    };
    const second: CorrelatedEvents = {
      realTime: [
        { ruleId: 8, rows: [{ n: 3 }], lines: [12] },
        { ruleId: 7, rows: [{ n: 4 }], lines: [15] },
      ],
      scheduled: [{ ruleId: 5, groups: [group("b")] }],
    };
    assert.deepEqual(joinCorrelated([first, second]), {
      realTime: [
        { ruleId: 7, rows: [{ n: 1 }, { n: 2 }, { n: 4 }], lines: [3, 9, 15] },
        { ruleId: 8, rows: [{ n: 3 }], lines: [12] },
      ],
      scheduled: [{ ruleId: 5, groups: [group("a"), group("b")] }],
    });
    assert.deepEqual(first.realTime[0]?.lines, [3, 9], "the pieces themselves are left as they were");
  });

  it("adds no lines where the pieces had none (ingest)", () => {
    const piece: CorrelatedEvents = { realTime: [{ ruleId: 7, rows: [{ n: 1 }] }], scheduled: [] };
    assert.deepEqual(joinCorrelated([piece, piece]).realTime, [{ ruleId: 7, rows: [{ n: 1 }, { n: 1 }] }]);
  });
});
