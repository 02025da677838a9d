import { gunzipSync } from "node:zlib";
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
  gzip: BodyDecoding | null = null,
): Promise<unknown> {
  if (gzip !== null) return readGzipJsonBody(request, maxBytes, gzip);
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const fromText = Object.prototype.hasOwnProperty.call(textBodies, mediaType) ? textBodies[mediaType] : undefined;
  if (fromText) return fromText(await readTextBody(request, maxBytes, "a document"));
  const others = Object.keys(textBodies);
  if (others.length > 0 && !/^application\/(?:[\w.+-]+\+)?json$/.test(mediaType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Send the body as application/json or ${others.join(", ")}.`);
  }
  return readJsonBody(request, maxBytes);
}

/** An operation that accepts `Content-Encoding: gzip`, and how large the body may be once decoded. */
export type BodyDecoding = { maxDecodedBytes: number };

/** A JSON body sent as is or gzip-compressed; both sizes capped, so a decompression bomb stops at the cap. */
async function readGzipJsonBody(request: Request, maxBytes: number, decoding: BodyDecoding): Promise<unknown> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity") return readJsonBody(request, maxBytes);
  if (encoding !== "gzip") throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body uncompressed or with Content-Encoding: gzip.");
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  const compressed = await readBytes(request, maxBytes, "a gzip-compressed JSON document");
  let text: string;
  try {
    text = gunzipSync(compressed, { maxOutputLength: decoding.maxDecodedBytes }).toString("utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) throw tooLarge(decoding.maxDecodedBytes);
    throw new AppError("BAD_REQUEST", "The body is not valid gzip.");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("BAD_REQUEST", `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The body as UTF-8 text with a size cap; an empty body is refused. */
export async function readTextBody(request: Request, maxBytes: number, noun: string): Promise<string> {
  const text = (await readBytes(request, maxBytes, noun)).toString("utf8");
  if (text.trim() === "") throw new AppError("BAD_REQUEST", `The request body is empty; send ${noun}.`);
  return text;
}

async function readBytes(request: Request, maxBytes: number, noun: string): Promise<Buffer> {
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
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw new AppError("BAD_REQUEST", `The request body is empty; send ${noun}.`);
  return bytes;
}

function tooLarge(maxBytes: number) {
  return new AppError("PAYLOAD_TOO_LARGE", `The body exceeds ${maxBytes} bytes.`, { details: { limit: maxBytes } });
}
