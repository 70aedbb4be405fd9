/** Reads what {@link DataOutputView} wrote; `pos` is the cursor, so reads allocate nothing. */
export class DataInputView {
  bytes: Buffer;
  view: DataView;
  pos = 0;
  end = 0;

  constructor(bytes: Buffer = EMPTY) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.length;
  }

  reset(bytes: Buffer, view: DataView, pos: number, end: number): void {
    this.bytes = bytes;
    this.view = view;
    this.pos = pos;
    this.end = end;
  }

  readU8(): number {
    return this.bytes[this.pos++] ?? this.underflow();
  }

  readU32(): number {
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  readI32(): number {
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  readF64(): number {
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /**
   * Short ASCII strings are built with String.fromCharCode (no native call, ~2× faster than
   * Buffer#toString for words); anything longer or non-ASCII goes to the native UTF-8 decoder.
   */
  readString(): string {
    const len = this.readU32();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) this.underflow();
    this.pos = end;
    if (len > 32) return this.bytes.toString('utf8', start, end);
    const bytes = this.bytes;
    let s = '';
    for (let p = start; p < end; p++) {
      const c = bytes[p]!;
      if (c >= 0x80) return bytes.toString('utf8', start, end);
      s += String.fromCharCode(c);
    }
    return s;
  }

  private underflow(): never {
    throw new RangeError(`read past the end of a network buffer (pos ${this.pos}, end ${this.end})`);
  }
}

const EMPTY = Buffer.alloc(0);
