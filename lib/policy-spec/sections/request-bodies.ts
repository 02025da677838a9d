// How request bodies are read before they are inspected. Compressed bodies
// (Content-Encoding gzip, deflate, br) are decoded within the body limits and
// inspected as the application will read them, or refused; XML document type
// declarations (internal subsets, external entities) are refused unless the
// application declares that it needs them, which is flagged for review.
// Uploads whose file name carries an extension the policy blocks (scripts and
// executables a server could run) are refused; an application adds to the
// baseline's list and cannot take anything off it.

import { z } from "zod";

export const CONTENT_ENCODING_MODES = ["decode", "refuse"] as const;
export const XML_DOCTYPE_MODES = ["refuse", "allow"] as const;

/**
 * File types a web server may execute or hand to an interpreter, or a client
 * may run: server-side scripts (PHP, ASP/ASP.NET, JSP, CGI, SSI), shell and
 * Windows scripts, executables and installers. Every extension of a name is
 * checked (shell.php.jpg), so short words that also occur inside ordinary
 * names ("pl" in invoice.pl.pdf, "com" in example.com.pdf) are left out.
 */
export const DEFAULT_BLOCKED_UPLOAD_EXTENSIONS = [
  "php",
  "php3",
  "php4",
  "php5",
  "php7",
  "php8",
  "phtml",
  "pht",
  "phps",
  "phar",
  "asp",
  "aspx",
  "asa",
  "asax",
  "ascx",
  "ashx",
  "asmx",
  "axd",
  "cshtml",
  "vbhtml",
  "jsp",
  "jspx",
  "jspf",
  "cgi",
  "shtml",
  "sh",
  "bash",
  "bat",
  "cmd",
  "exe",
  "dll",
  "msi",
  "scr",
  "ps1",
  "vbs",
  "vbe",
  "wsf",
  "hta",
] as const;

/** An extension as the policy names it: lower case, without the dot ("php", "tar.gz" is two). */
const uploadExtensionSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_+-]{0,31}$/, 'must be an extension in lower case without the dot, e.g. "php"')
  .describe("A file-name extension, lower case, without the dot.");
const uploadExtensionListSchema = z
  .array(uploadExtensionSchema)
  .max(1000)
  .refine((list) => new Set(list).size === list.length, "lists an extension twice");

export const baselineBodiesSchema = z.strictObject({
  contentEncoding: z
    .enum(CONTENT_ENCODING_MODES)
    .default("decode")
    .describe("Compressed request bodies: decode (within maxBodyBytes, then inspect) or refuse with 415."),
  blockedUploadExtensions: uploadExtensionListSchema
    .default([...DEFAULT_BLOCKED_UPLOAD_EXTENSIONS])
    .describe(
      "Uploads (multipart file names, X-Filename headers) with any of these extensions are refused with 403, wherever the extension stands in the name (shell.php.jpg).",
    ),
});

export const applicationBodiesSchema = z.strictObject({
  contentEncoding: z.enum(CONTENT_ENCODING_MODES).optional().describe('Only "refuse" (tighter than the baseline\'s "decode").'),
  xmlDoctype: z
    .enum(XML_DOCTYPE_MODES)
    .optional()
    .describe('XML bodies with a DOCTYPE that has an internal subset or an external identifier: refused unless "allow" (flagged for security review).'),
  blockedUploadExtensions: uploadExtensionListSchema.optional().describe("Added to the baseline's blocked upload extensions; none can be taken off."),
});

export const effectiveBodiesSchema = z.strictObject({
  contentEncoding: z.enum(CONTENT_ENCODING_MODES),
  xmlDoctype: z.enum(XML_DOCTYPE_MODES),
  blockedUploadExtensions: z.array(z.string()),
});
