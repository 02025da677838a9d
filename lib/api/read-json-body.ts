import { AppError } from "@/lib/errors/app-error";

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Reads a JSON request body with a size cap; streams so an oversized body is cut off early. */
export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  }
  const text = await readTextBody(request, maxBytes, "a JSON document");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("BAD_REQUEST", `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The body of an operation: JSON, or one of the other media types the operation accepts
 * (`textBodies`), whose text is turned into the value the body schema validates.
 */
export async function readOperationBody(
  request: Request,
  textBodies: Readonly<Record<string, (text: string) => unknown>> = {},
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<unknown> {
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const fromText = Object.prototype.hasOwnProperty.call(textBodies, mediaType) ? textBodies[mediaType] : undefined;
  if (fromText) return fromText(await readTextBody(request, maxBytes, "a document"));
  const others = Object.keys(textBodies);
  if (others.length > 0 && !/^application\/(?:[\w.+-]+\+)?json$/.test(mediaType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Send the body as application/json or ${others.join(", ")}.`);
  }
  return readJsonBody(request, maxBytes);
}

/** The body as UTF-8 text with a size cap; an empty body is refused. */
export async function readTextBody(request: Request, maxBytes: number, noun: string): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) throw new AppError("BAD_REQUEST", `The request body is empty; send ${noun}.`);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new AppError("BAD_REQUEST", `The request body is empty; send ${noun}.`);
  return text;
}

function tooLarge(maxBytes: number) {
  return new AppError("PAYLOAD_TOO_LARGE", `The body exceeds ${maxBytes} bytes.`, { details: { limit: maxBytes } });
}
