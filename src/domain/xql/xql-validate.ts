import { fail, ok, type Result } from "../../lib/result.ts";
import { checkBiocQuery, type XqlProblem } from "./xql-bioc.ts";
import { XqlSyntaxError } from "./xql-lexer.ts";
import { parseXql } from "./xql-parser.ts";

/** Parses a query, and with `bioc` also applies the BIOC rules. */
export function validateXql(query: string, bioc: boolean): Result<undefined, XqlProblem> {
  if (bioc) {
    const plan = checkBiocQuery(query);
    return plan.ok ? ok(undefined) : plan;
  }
  try {
    parseXql(query);
    return ok(undefined);
  } catch (error) {
    if (error instanceof XqlSyntaxError) return fail({ syntax: error.detail });
    throw error;
  }
}
