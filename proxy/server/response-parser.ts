// A strict HTTP/1.1 response parser for the upstream side, fed with socket
// chunks. Strict because a confused response parser is how response
// splitting and desync attacks start: header names must be tokens, values
// carry no control characters, obs-fold and bare LF are refused,
// Content-Length must be one unambiguous number, Transfer-Encoding must be
// exactly "chunked" and never comes with Content-Length. Chunked bodies are
// decoded (the client side re-frames them). All scanning is by index, no
// regular expressions, so every chunk costs time linear in its length.

export interface ResponseEvents {
  onHead(status: number, rawHeaders: string[], contentLength: number, hasBody: boolean): void;
  onData(chunk: Buffer): void;
  onEnd(keepAlive: boolean): void;
}

export class ResponseParseError extends Error {}

/** The whole response head — status line and every field, interim (1xx) heads included — must fit in this. */
const MAX_HEAD = 64 * 1024;
const MAX_HEADER_FIELDS = 256;
/** 100 Continue / 103 Early Hints before the final head; more is an upstream stalling us with heads. */
const MAX_INTERIM_HEADS = 8;
const MAX_CHUNK_LINE = 1024;

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN[c.charCodeAt(0)] = 1;

export class ResponseParser {
  private state = State.Head;
  private head: Buffer | null = null;
  private remaining = 0;
  private keepAlive = true;
  private line: Buffer | null = null;
  /** Head bytes consumed so far for this response (interim heads count towards MAX_HEAD too). */
  private headBytes = 0;
  private interimHeads = 0;

  constructor(
    private readonly events: ResponseEvents,
    /** HEAD requests get a head only, whatever its Content-Length says. */
    private readonly isHeadRequest: boolean,
  ) {}

  get done(): boolean {
    return this.state === State.Done;
  }

  /** True while the response's end is marked by the connection closing. */
  get readsUntilClose(): boolean {
    return this.state === State.UntilClose;
  }

  /** Feeds bytes; throws ResponseParseError on a malformed response. Returns bytes left over after the response (a protocol error if any). */
  feed(chunk: Buffer): number {
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.state) {
        case State.Head: {
          const data = this.head === null ? chunk.subarray(offset) : Buffer.concat([this.head, chunk.subarray(offset)]);
          const end = data.indexOf("\r\n\r\n");
          if (end < 0) {
            if (this.headBytes + data.length > MAX_HEAD) throw new ResponseParseError("response head too large");
            this.head = data;
            return 0;
          }
          this.headBytes += end + 4;
          if (this.headBytes > MAX_HEAD) throw new ResponseParseError("response head too large");
          const consumedFromChunk = end + 4 - (this.head === null ? 0 : this.head.length);
          this.head = null;
          offset += consumedFromChunk;
          this.parseHead(data.toString("latin1", 0, end));
          break;
        }
        case State.Length: {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.events.onData(chunk.subarray(offset, offset + take));
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.finish();
          break;
        }
        case State.ChunkSize:
        case State.Trailers:
        case State.ChunkDataEnd: {
          const nl = chunk.indexOf(10, offset);
          const piece = chunk.subarray(offset, nl < 0 ? chunk.length : nl + 1);
          const line = this.line === null ? piece : Buffer.concat([this.line, piece]);
          if (line.length > MAX_CHUNK_LINE) throw new ResponseParseError("chunk line too long");
          if (nl < 0) {
            this.line = line;
            return 0;
          }
          this.line = null;
          offset = nl + 1;
          if (line.length < 2 || line[line.length - 2] !== 13) throw new ResponseParseError("bare LF in chunked body");
          const text = line.toString("latin1", 0, line.length - 2);
          if (this.state === State.ChunkDataEnd) {
            if (text.length !== 0) throw new ResponseParseError("chunk data longer than its size");
            this.state = State.ChunkSize;
          } else if (this.state === State.Trailers) {
            if (text.length === 0) this.finish();
          } else {
            const size = parseChunkSize(text);
            if (size === 0) this.state = State.Trailers;
            else {
              this.remaining = size;
              this.state = State.ChunkData;
            }
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.events.onData(chunk.subarray(offset, offset + take));
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          break;
        }
        case State.UntilClose:
          this.events.onData(chunk.subarray(offset));
          return 0;
        case State.Done:
          return chunk.length - offset;
      }
    }
    return 0;
  }

  /** The connection closed: the end of an until-close body, an error otherwise. */
  close(): void {
    if (this.state === State.UntilClose) {
      this.state = State.Done;
      this.events.onEnd(false);
      return;
    }
    if (this.state !== State.Done) throw new ResponseParseError("connection closed before the response was complete");
  }

  private finish(): void {
    this.state = State.Done;
    this.events.onEnd(this.keepAlive);
  }

  private parseHead(text: string): void {
    // Status line: HTTP/1.x SP 3DIGIT [SP reason]
    if (!text.startsWith("HTTP/1.")) throw new ResponseParseError("not an HTTP/1.x response");
    const minor = text.charCodeAt(7);
    if ((minor !== 48 && minor !== 49) || text.charCodeAt(8) !== 32) throw new ResponseParseError("bad status line");
    const status = (text.charCodeAt(9) - 48) * 100 + (text.charCodeAt(10) - 48) * 10 + (text.charCodeAt(11) - 48);
    if (!(status >= 100 && status <= 599) || !isDigit(text.charCodeAt(9)) || !isDigit(text.charCodeAt(10)) || !isDigit(text.charCodeAt(11)))
      throw new ResponseParseError("bad status code");
    let lineEnd = text.indexOf("\r\n");
    if (lineEnd < 0) lineEnd = text.length;
    if (lineEnd > 12 && text.charCodeAt(12) !== 32) throw new ResponseParseError("bad status line");
    checkNoControl(text, 12, lineEnd);
    const raw: string[] = [];
    let contentLength = -1;
    let chunked = false;
    let connectionClose = minor === 48;
    let pos = lineEnd + 2;
    while (pos < text.length) {
      let end = text.indexOf("\r\n", pos);
      if (end < 0) end = text.length;
      if (end === pos) throw new ResponseParseError("empty header line");
      const first = text.charCodeAt(pos);
      if (first === 32 || first === 9) throw new ResponseParseError("obsolete header folding");
      const colon = text.indexOf(":", pos);
      if (colon < 0 || colon >= end || colon === pos) throw new ResponseParseError("header line without a name");
      for (let i = pos; i < colon; i++) {
        const c = text.charCodeAt(i);
        if (c >= 128 || TOKEN[c] !== 1) throw new ResponseParseError("invalid header name");
      }
      let vs = colon + 1;
      let ve = end;
      while (vs < ve && (text.charCodeAt(vs) === 32 || text.charCodeAt(vs) === 9)) vs++;
      while (ve > vs && (text.charCodeAt(ve - 1) === 32 || text.charCodeAt(ve - 1) === 9)) ve--;
      checkNoControl(text, vs, ve);
      const name = text.slice(pos, colon);
      const value = text.slice(vs, ve);
      const lower = name.length === 14 || name.length === 17 || name.length === 10 ? name.toLowerCase() : "";
      if (lower === "content-length") {
        const n = parseLength(value);
        if (n < 0 || (contentLength >= 0 && n !== contentLength)) throw new ResponseParseError("invalid or conflicting Content-Length");
        contentLength = n;
      } else if (lower === "transfer-encoding") {
        if (chunked || value.toLowerCase() !== "chunked") throw new ResponseParseError("unsupported Transfer-Encoding");
        chunked = true;
      } else if (lower === "connection") {
        const tokens = value.toLowerCase();
        if (tokens.includes("close")) connectionClose = true;
        else if (minor === 48 && tokens.includes("keep-alive")) connectionClose = false;
      }
      raw.push(name, value);
      if (raw.length > MAX_HEADER_FIELDS * 2) throw new ResponseParseError("too many response header fields");
      pos = end + 2;
    }
    if (chunked && contentLength >= 0) throw new ResponseParseError("both Content-Length and Transfer-Encoding");
    if (status >= 100 && status < 200) {
      if (status === 101) throw new ResponseParseError("unexpected protocol switch");
      if (++this.interimHeads > MAX_INTERIM_HEADS) throw new ResponseParseError("too many interim responses");
      return; // interim response (100 Continue, 103 Early Hints): the real head follows
    }
    this.keepAlive = !connectionClose;
    const bodyless = this.isHeadRequest || status === 204 || status === 304;
    if (bodyless) {
      this.events.onHead(status, raw, contentLength, false);
      this.finish();
      return;
    }
    if (chunked) {
      this.events.onHead(status, raw, -1, true);
      this.state = State.ChunkSize;
    } else if (contentLength >= 0) {
      this.events.onHead(status, raw, contentLength, contentLength > 0);
      if (contentLength === 0) this.finish();
      else {
        this.remaining = contentLength;
        this.state = State.Length;
      }
    } else {
      this.keepAlive = false;
      this.events.onHead(status, raw, -1, true);
      this.state = State.UntilClose;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function checkNoControl(text: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) throw new ResponseParseError("control character in the response head");
  }
}

function parseLength(value: string): number {
  if (value.length === 0 || value.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** Hex size, optionally followed by ";extensions" (ignored). */
function parseChunkSize(line: string): number {
  let end = line.indexOf(";");
  if (end < 0) end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  if (end === 0 || end > 12) throw new ResponseParseError("bad chunk size");
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) throw new ResponseParseError("bad chunk size");
    n = n * 16 + d;
  }
  return n;
}
