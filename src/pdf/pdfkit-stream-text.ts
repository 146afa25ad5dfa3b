/**
 * pdfkit's stream objects keep the text written to them as text until they are finished.
 *
 * Why: pdfkit writes every operator of a page (each move, each glyph run, each colour) with
 * `PDFReference.write(string)`, which makes a Buffer of it at once — tens of thousands of small
 * Buffers per publication, all concatenated again when the stream is finished. Making them was a
 * twentieth of the time spent writing a PDF, and they were a good part of its garbage.
 *
 * How: `write` keeps a string chunk as a string (with the same '\n' and the same byte count: the
 * 'binary' encoding gives one byte per UTF-16 unit); `finalize` turns each run of strings into one
 * Buffer before pdfkit concatenates and compresses them as before. Same bytes in the same order.
 */
import { requirePdfmakeModule } from './pdfmake-internals.js';

interface PdfReference {
  buffer: Array<Uint8Array | string>;
  data: { Length?: number; Filter?: string };
  compress: boolean;
  uncompressedLength: number;
  write(chunk: unknown): void;
  finalize(): void;
}

/** Consecutive strings joined into one Buffer each; Buffers kept in place. */
export function chunksToBuffers(chunks: ReadonlyArray<Uint8Array | string>): Uint8Array[] {
  const out: Uint8Array[] = [];
  let text: string[] = [];
  const flushText = (): void => {
    if (text.length === 0) return;
    out.push(Buffer.from(text.join(''), 'binary'));
    text = [];
  };
  for (const chunk of chunks) {
    if (typeof chunk === 'string') text.push(chunk);
    else {
      flushText();
      out.push(chunk);
    }
  }
  flushText();
  return out;
}

let installed = false;

/** Once per process, on the pdfkit that pdfmake loads. */
export function installStreamText(): void {
  if (installed) return;
  const PDFDocument = requirePdfmakeModule('pdfkit') as new (options: Record<string, unknown>) => { ref(data?: object): PdfReference };
  const proto = Object.getPrototypeOf(new PDFDocument({ autoFirstPage: false }).ref({})) as PdfReference;
  const write = proto.write;
  const finalize = proto.finalize;
  proto.write = function (this: PdfReference, chunk: unknown) {
    if (chunk instanceof Uint8Array) return write.call(this, chunk);
    // As pdfkit: Buffer.from(chunk + '\n', 'binary'), whose length is the string's length.
    const text = `${chunk as string}\n`;
    this.uncompressedLength += text.length;
    if (this.data.Length == null) this.data.Length = 0;
    this.buffer.push(text);
    this.data.Length += text.length;
    if (this.compress) this.data.Filter = 'FlateDecode';
  };
  proto.finalize = function (this: PdfReference) {
    if (this.buffer.length) this.buffer = chunksToBuffers(this.buffer);
    return finalize.call(this);
  };
  installed = true;
}
