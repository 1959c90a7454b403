import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { syntaxErrorText } from "../../domain/xql/xql-bioc.ts";
import { validateXql } from "../../domain/xql/xql-validate.ts";
import { sendError } from "../errors.ts";
import { ErrorResponse } from "../schemas.ts";

/**
 * `xql/validate` (Warden's own): 200 `{"reply":{"valid":true}}`, or 400 with the problem in the
 * seed's form: err_msg `{"line": 1, "column": 19, "message": "..."}`, the same as an object in err_extra;
 * a BIOC rule broken without a position (e.g. a preset) has the reason as err_msg and `{message}` in err_extra.
 */
export const xqlRoutes: FastifyPluginAsyncTypebox<{ maxLength: number }> = async (app, { maxLength }) => {
  app.post(
    "/public_api/v1/xql/validate",
    {
      schema: {
        tags: ["XQL"],
        summary: "Check an XQL query's syntax (and, with bioc, the BIOC rules)",
        body: Type.Object(
          {
            request_data: Type.Object(
              { query: Type.String({ maxLength }), bioc: Type.Optional(Type.Boolean()) },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ reply: Type.Object({ valid: Type.Boolean() }) }), 400: ErrorResponse },
      },
      config: { permission: "rules:read" },
    },
    async (request, reply) => {
      const { query, bioc = false } = request.body.request_data;
      const result = validateXql(query, bioc);
      if (result.ok) return { reply: { valid: true } };
      const problem = result.error;
      // The reason is the message: a client that shows err_msg must show what is wrong.
      if ("reason" in problem) return sendError(reply, 400, { message: problem.reason }, problem.reason);
      return sendError(reply, 400, problem.syntax, syntaxErrorText(problem.syntax));
    },
  );
};
