// Threat-intelligence IP lists. Named lists are feeds the platform provisions
// (their contents change daily, so they are referenced, not inlined); literal
// networks cover what a security team wants to block by hand.

import { z } from "zod";
import { cidrSchema, enforcementModeSchema, slugSchema, uniqueList } from "./policy-fields";

export const threatIntelListSchema = z.strictObject({
  name: slugSchema,
  mode: enforcementModeSchema.default("block"),
});

const threatIntelShape = {
  lists: z
    .array(threatIntelListSchema)
    .default([])
    .superRefine((lists, ctx) => {
      const seen = new Set<string>();
      lists.forEach((list, index) => {
        if (seen.has(list.name)) ctx.addIssue({ code: "custom", path: [index, "name"], message: `duplicate list "${list.name}"` });
        seen.add(list.name);
      });
    }),
  denyNetworks: uniqueList(cidrSchema, "network").default([]),
};

export const threatIntelSchema = z.strictObject(threatIntelShape);
