/**
 * Re-frames the client's byte stream before the protocol library reads it, so one malformed message cannot
 * leave the server alive but deaf. vscode-jsonrpc trusts every Content-Length: a message shorter than its
 * header says makes it wait for bytes that are really the next messages, and it swallows them all.
 *
 * What passes through is exactly the well-framed messages. A header without a numeric Content-Length, or a
 * body that holds the start of another message, is dropped (reported in one line) and reading resumes at the
 * next `Content-Length:` header. `Content-Length: <n>` followed by a raw line break can never occur inside a
 * JSON body (JSON strings escape line breaks, and the words are no JSON outside a string), so finding it
 * inside a body proves that the body was cut short and another message began.
 */
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const HEADER_START = Buffer.from('Content-Length:');
/** A header line that starts a new message, as it can appear only outside a JSON body. */
const NEXT_MESSAGE = /Content-Length: *\d+\r\n/;
/** Headers are a few dozen bytes; this much input without their end is no header. */
const MAX_HEADER_BYTES = 8 * 1024;

export class FramingRepair extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  /** The body length announced by the header just read, or -1 while reading headers. */
  private bodyLength = -1;
  /** The size of the header block in front of the current body. */
  private headerBytes = 0;
  /** Bytes of the current body already searched for the start of another message. */
  private searched = 0;

  constructor(private readonly report: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.drain();
    done();
  }

  private drain(): void {
    for (;;) {
      if (this.bodyLength < 0) {
        const end = this.pending.indexOf(HEADER_END);
        if (end < 0) {
          if (this.pending.length > MAX_HEADER_BYTES) this.resync(1, 'a header without an end');
          return;
        }
        const length = contentLength(this.pending.subarray(0, end).toString('ascii'));
        if (length === undefined) {
          this.resync(1, 'a header without a valid Content-Length');
          continue;
        }
        this.bodyLength = length;
        this.searched = 0;
        this.headerBytes = end + HEADER_END.length;
      }
      const bodyStart = this.headerBytes;
      const available = Math.min(this.pending.length - bodyStart, this.bodyLength);
      // Search only what arrived since the last look (with an overlap for a header split across chunks).
      const from = Math.max(0, this.searched - 32);
      const cut = searchNextMessage(this.pending.subarray(bodyStart + from, bodyStart + available));
      this.searched = available;
      if (cut >= 0) {
        this.resync(bodyStart + from + cut, 'a message shorter than its Content-Length');
        continue;
      }
      if (available < this.bodyLength) return;
      const messageEnd = bodyStart + this.bodyLength;
      this.push(this.pending.subarray(0, messageEnd));
      this.pending = this.pending.subarray(messageEnd);
      this.bodyLength = -1;
    }
  }

  /** Drop input up to the next `Content-Length:` at or after `from` (all of it when there is none). */
  private resync(from: number, reason: string): void {
    const next = this.pending.indexOf(HEADER_START, from);
    const dropped = next < 0 ? this.pending.length : next;
    this.report(`blockcheck-lsp: dropped ${dropped} bytes of malformed input (${reason}); reading resumes at the next message`);
    this.pending = this.pending.subarray(dropped);
    this.bodyLength = -1;
  }
}

/** The Content-Length of a header block, when it has exactly one well-formed one. */
function contentLength(headers: string): number | undefined {
  let length: number | undefined;
  for (const line of headers.split('\r\n')) {
    const separator = line.indexOf(':');
    if (separator < 0) return undefined;
    if (line.slice(0, separator).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(separator + 1).trim();
    if (!/^\d+$/.test(value) || length !== undefined) return undefined;
    length = Number(value);
  }
  return length;
}

/** The offset of another message's header inside `body`, or -1. */
function searchNextMessage(body: Buffer): number {
  // Cheap test first: bodies almost never contain the words at all.
  if (body.indexOf(HEADER_START) < 0) return -1;
  const match = NEXT_MESSAGE.exec(body.toString('latin1'));
  return match ? match.index : -1;
}
