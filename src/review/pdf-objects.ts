/**
 * A reader for the PDF objects budget-pdf itself writes (pdfkit output): a classic xref table,
 * plain objects and Flate streams. Enough to walk the page tree and read page contents and
 * fonts; anything else (object streams, encryption, xref streams) makes it give up, so callers
 * fall back to a full reader (pdf.js).
 */
import { inflateSync } from 'node:zlib';

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export type PdfDict = Map<string, PdfValue>;

export interface PdfStream {
  dict: PdfDict;
  /** Byte range of the raw (still encoded) data in the file. */
  start: number;
  length: number;
}

/** Strings (literal and hex) are binary strings: one char per byte, like pdf.js. */
export type PdfValue = number | boolean | null | string | PdfName | PdfRef | PdfValue[] | PdfDict | PdfStream;

/** Not a PDF this reader understands; the caller uses a full reader instead. */
export class UnsupportedPdf extends Error {
  constructor(why: string) {
    super(`budget-pdf's own PDF reader: ${why}`);
    this.name = 'UnsupportedPdf';
  }
}

/** Character classes by char code: 1 white space, 2 delimiter, 0 regular. */
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = 1;
for (const c of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[c] = 2;
const isRegular = (c: number): boolean => c < 256 && CLASS[c] === 0;
const isWhite = (c: number): boolean => c < 256 && CLASS[c] === 1;

/**
 * One token object per known operator and keyword, its word the literal below: a content stream
 * has tens of thousands of operators, and comparing an interned word is a pointer comparison.
 */
const KEYWORDS: ReadonlyMap<string, { readonly keyword: string }> = new Map(
  [
    'b', 'B', 'b*', 'B*', 'BDC', 'BI', 'BMC', 'BT', 'BX', 'c', 'cm', 'CS', 'cs', 'd', 'd0', 'd1', 'Do', 'DP', 'EI', 'EMC', 'ET', 'EX',
    'f', 'F', 'f*', 'G', 'g', 'gs', 'h', 'i', 'ID', 'j', 'J', 'K', 'k', 'l', 'm', 'M', 'MP', 'n', 'q', 'Q', 're', 'RG', 'rg', 'ri',
    's', 'S', 'SC', 'sc', 'SCN', 'scn', 'sh', 'T*', 'Tc', 'Td', 'TD', 'Tf', 'Tj', 'TJ', 'TL', 'Tm', 'Tr', 'Ts', 'Tw', 'Tz', 'v', 'w',
    'W', 'W*', 'y', "'", '"', 'obj', 'endobj', 'stream', 'endstream', 'R', 'xref', 'trailer', 'startxref',
  ].map((word) => [word, Object.freeze({ keyword: word })]),
);

export function isPdfDict(value: PdfValue | undefined): value is PdfDict {
  return value instanceof Map;
}

export function isPdfStream(value: PdfValue | undefined): value is PdfStream {
  return typeof value === 'object' && value !== null && !(value instanceof Map) && !Array.isArray(value) && 'dict' in value;
}

/**
 * Tokens of PDF syntax over a binary string (one char per byte). Used for objects and for
 * content streams; `keyword` returns operators and the words true/false/null/obj/R/stream.
 */
export class PdfLexer {
  pos: number;

  /** `refs`: read `12 0 R` as a reference (object syntax; content streams have none). */
  constructor(
    readonly src: string,
    start = 0,
    private readonly refs = true,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    const s = this.src;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (isWhite(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < s.length && s.charCodeAt(this.pos) !== 0x0a && s.charCodeAt(this.pos) !== 0x0d) this.pos++;
      } else return;
    }
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.src.length;
  }

  /** The next value, or an operator/keyword as `{ keyword }`. */
  next(): PdfValue | { keyword: string } {
    this.skipSpace();
    const s = this.src;
    const c = s.charCodeAt(this.pos);
    if (c === 0x2f) return this.name();
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (s.charCodeAt(this.pos) === 0x5d) {
          this.pos++;
          return items;
        }
        if (this.pos >= s.length) throw new UnsupportedPdf('unterminated array');
        items.push(this.value());
      }
    }
    if (c === 0x3c) {
      if (s.charCodeAt(this.pos + 1) === 0x3c) return this.dict();
      return this.hexString();
    }
    if (c === 0x28) return this.literalString();
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return this.numberOrRef();
    const start = this.pos;
    while (this.pos < s.length && isRegular(s.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) throw new UnsupportedPdf(`unexpected character ${JSON.stringify(s[start])} at ${start}`);
    const word = s.slice(start, this.pos);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return KEYWORDS.get(word) ?? { keyword: word };
  }

  /** A value; a keyword here is an error. */
  value(): PdfValue {
    const v = this.next();
    if (typeof v === 'object' && v !== null && 'keyword' in v) throw new UnsupportedPdf(`unexpected keyword ${v.keyword}`);
    return v as PdfValue;
  }

  private name(): PdfName {
    const s = this.src;
    const start = ++this.pos;
    while (this.pos < s.length && isRegular(s.charCodeAt(this.pos))) this.pos++;
    const raw = s.slice(start, this.pos);
    return new PdfName(raw.includes('#') ? raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : raw);
  }

  private dict(): PdfDict {
    this.pos += 2;
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipSpace();
      const s = this.src;
      if (s.charCodeAt(this.pos) === 0x3e && s.charCodeAt(this.pos + 1) === 0x3e) {
        this.pos += 2;
        return dict;
      }
      const key = this.next();
      if (!(key instanceof PdfName)) throw new UnsupportedPdf('dictionary key is not a name');
      dict.set(key.name, this.value());
    }
  }

  private hexString(): string {
    const s = this.src;
    const end = s.indexOf('>', this.pos);
    if (end < 0) throw new UnsupportedPdf('unterminated hex string');
    let out = '';
    let high = -1;
    for (let i = this.pos + 1; i < end; i++) {
      const c = s.charCodeAt(i);
      const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (digit < 0) continue; // white space inside hex strings
      if (high < 0) high = digit;
      else {
        out += String.fromCharCode((high << 4) | digit);
        high = -1;
      }
    }
    if (high >= 0) out += String.fromCharCode(high << 4);
    this.pos = end + 1;
    return out;
  }

  private literalString(): string {
    const s = this.src;
    let depth = 1;
    let out = '';
    this.pos++;
    while (this.pos < s.length) {
      const ch = s[this.pos++]!;
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = s[this.pos++]!;
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
      if (e in simple) out += simple[e];
      else if (e >= '0' && e <= '7') {
        let octal = e;
        while (octal.length < 3 && s[this.pos]! >= '0' && s[this.pos]! <= '7') octal += s[this.pos++];
        out += String.fromCharCode(parseInt(octal, 8) & 0xff);
      } else if (e === '\r') {
        if (s[this.pos] === '\n') this.pos++;
      } else if (e !== '\n') out += e;
    }
    throw new UnsupportedPdf('unterminated string');
  }

  private numberOrRef(): number | PdfRef {
    const s = this.src;
    const start = this.pos;
    let integer = true;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c >= 0x30 && c <= 0x39) this.pos++;
      else if (c === 0x2e || c === 0x2b || c === 0x2d) {
        integer = false;
        this.pos++;
      } else break;
    }
    const text = s.slice(start, this.pos);
    const n = Number(text);
    if (!Number.isFinite(n)) throw new UnsupportedPdf(`bad number ${text}`);
    // `12 0 R`: an indirect reference.
    if (integer && this.refs) {
      const m = /^\s+(\d+)\s+R(?=[\s/<>[\]()%]|$)/.exec(s.slice(this.pos, this.pos + 24));
      if (m) {
        this.pos += m[0].length;
        return new PdfRef(n, Number(m[1]));
      }
    }
    return n;
  }
}

/** The objects of a PDF with a classic cross-reference table. */
export class PdfFile {
  readonly src: string;
  private readonly offsets = new Map<number, number>();
  private readonly cache = new Map<number, PdfValue>();
  readonly trailer: PdfDict;

  constructor(readonly bytes: Uint8Array) {
    this.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const at = this.src.lastIndexOf('startxref');
    if (at < 0) throw new UnsupportedPdf('no startxref');
    const xrefAt = Number(/startxref\s+(\d+)/.exec(this.src.slice(at, at + 40))?.[1]);
    if (!this.src.startsWith('xref', xrefAt)) throw new UnsupportedPdf('no classic xref table');
    const lexer = new PdfLexer(this.src, xrefAt + 4);
    for (;;) {
      lexer.skipSpace();
      if (this.src.startsWith('trailer', lexer.pos)) break;
      const first = lexer.value();
      const count = lexer.value();
      if (typeof first !== 'number' || typeof count !== 'number') throw new UnsupportedPdf('bad xref subsection');
      lexer.skipSpace();
      for (let i = 0; i < count; i++) {
        const entry = this.src.slice(lexer.pos, lexer.pos + 20);
        if (entry[17] === 'n') this.offsets.set(first + i, Number(entry.slice(0, 10)));
        lexer.pos += 20;
      }
    }
    lexer.pos += 'trailer'.length;
    const trailer = lexer.value();
    if (!isPdfDict(trailer)) throw new UnsupportedPdf('bad trailer');
    if (trailer.has('Encrypt') || trailer.has('Prev')) throw new UnsupportedPdf('encrypted or incrementally updated');
    this.trailer = trailer;
  }

  /** Follow references until a direct value. */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    let v = value;
    for (let hops = 0; v instanceof PdfRef; hops++) {
      if (hops > 32) throw new UnsupportedPdf('reference loop');
      v = this.object(v.num);
    }
    return v;
  }

  get(dict: PdfDict, key: string): PdfValue | undefined {
    return this.resolve(dict.get(key));
  }

  private object(num: number): PdfValue {
    if (this.cache.has(num)) return this.cache.get(num)!;
    const offset = this.offsets.get(num);
    if (offset === undefined) return null;
    const lexer = new PdfLexer(this.src, offset);
    const header = [lexer.next(), lexer.next(), lexer.next()];
    if (header[0] !== num || !(typeof header[2] === 'object' && header[2] !== null && 'keyword' in header[2] && header[2].keyword === 'obj')) {
      throw new UnsupportedPdf(`object ${num} is not at its xref offset`);
    }
    let value = lexer.value();
    lexer.skipSpace();
    if (isPdfDict(value) && this.src.startsWith('stream', lexer.pos)) {
      let start = lexer.pos + 'stream'.length;
      if (this.src[start] === '\r') start++;
      if (this.src[start] === '\n') start++;
      const length = this.resolve(value.get('Length'));
      if (typeof length !== 'number') throw new UnsupportedPdf('stream without a length');
      value = { dict: value, start, length };
    }
    this.cache.set(num, value);
    return value;
  }

  /** A stream's data, decoded (no filter or FlateDecode only). */
  streamData(stream: PdfStream): Buffer {
    const raw = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + stream.start, stream.length);
    const filter = this.resolve(stream.dict.get('Filter'));
    const filters = filter === undefined || filter === null ? [] : Array.isArray(filter) ? filter : [filter];
    if (filters.length === 0) return raw;
    if (filters.length === 1 && filters[0] instanceof PdfName && filters[0].name === 'FlateDecode' && !stream.dict.has('DecodeParms')) return inflateSync(raw);
    throw new UnsupportedPdf('stream filter other than FlateDecode');
  }
}
