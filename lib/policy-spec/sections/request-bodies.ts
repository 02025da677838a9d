// How request bodies are read before they are inspected. Compressed bodies
// (Content-Encoding gzip, deflate, br) are decoded within the body limits and
// inspected as the application will read them, or refused; XML document type
// declarations (internal subsets, external entities) are refused unless the
// application declares that it needs them, which is flagged for review.

import { z } from "zod";

export const CONTENT_ENCODING_MODES = ["decode", "refuse"] as const;
export const XML_DOCTYPE_MODES = ["refuse", "allow"] as const;

export const baselineBodiesSchema = z.strictObject({
  contentEncoding: z
    .enum(CONTENT_ENCODING_MODES)
    .default("decode")
    .describe("Compressed request bodies: decode (within maxBodyBytes, then inspect) or refuse with 415."),
});

export const applicationBodiesSchema = z.strictObject({
  contentEncoding: z.enum(CONTENT_ENCODING_MODES).optional().describe('Only "refuse" (tighter than the baseline\'s "decode").'),
  xmlDoctype: z
    .enum(XML_DOCTYPE_MODES)
    .optional()
    .describe('XML bodies with a DOCTYPE that has an internal subset or an external identifier: refused unless "allow" (flagged for security review).'),
});

export const effectiveBodiesSchema = z.strictObject({
  contentEncoding: z.enum(CONTENT_ENCODING_MODES),
  xmlDoctype: z.enum(XML_DOCTYPE_MODES),
});
