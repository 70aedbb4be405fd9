/**
 * Writes primitives into a byte array with a DataView. A fixed view never throws on a full
 * buffer: the write is skipped and `overflow` is set, so the writer can roll back the record and
 * retry in a fresh buffer without a per-record try/catch or a size pre-pass. A growable view (for
 * records larger than a network buffer) reallocates instead.
 */
export class DataOutputView {
  bytes: Buffer;
  view: DataView;
  pos = 0;
  limit: number;
  overflow = false;
  private readonly growable: boolean;

  constructor(bytes: Buffer, growable = false) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limit = bytes.length;
    this.growable = growable;
  }

  /** Points the view at another buffer (or at nothing: limit 0 makes every write overflow). */
  reset(bytes: Buffer, view: DataView, pos: number, limit: number): void {
    this.bytes = bytes;
    this.view = view;
    this.pos = pos;
    this.limit = limit;
    this.overflow = false;
  }

  ensure(n: number): boolean {
    if (this.pos + n <= this.limit) return true;
    if (!this.growable) {
      this.overflow = true;
      return false;
    }
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.pos + n));
    this.bytes.copy(next, 0, 0, this.pos);
    this.bytes = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    this.limit = next.length;
    return true;
  }

  writeU8(v: number): void {
    if (this.pos + 1 > this.limit && !this.ensure(1)) return;
    this.bytes[this.pos++] = v;
  }

  writeU32(v: number): void {
    if (this.pos + 4 > this.limit && !this.ensure(4)) return;
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }

  writeI32(v: number): void {
    if (this.pos + 4 > this.limit && !this.ensure(4)) return;
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  writeF64(v: number): void {
    if (this.pos + 8 > this.limit && !this.ensure(8)) return;
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  /**
   * u32 byte length + UTF-8. Short strings use a charCode loop (a native call per string costs more
   * than encoding a word by hand); long ones use Buffer.write. Lone surrogates become U+FFFD on both
   * paths, as TextEncoder does, so the result does not depend on the length.
   */
  writeString(s: string): void {
    const n = s.length;
    if (n > 64) {
      const byteLength = Buffer.byteLength(s, 'utf8');
      if (!this.ensure(4 + byteLength)) return;
      this.view.setUint32(this.pos, byteLength);
      this.bytes.write(s, this.pos + 4, byteLength, 'utf8');
      this.pos += 4 + byteLength;
      return;
    }
    // 3 bytes per UTF-16 unit is the worst case; only when that does not fit measure exactly.
    if (this.pos + 4 + 3 * n > this.limit && !this.ensure(4 + utf8Length(s))) return;
    const bytes = this.bytes;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        bytes[p++] = c;
      } else if (c < 0x800) {
        bytes[p++] = 0xc0 | (c >> 6);
        bytes[p++] = 0x80 | (c & 0x3f);
      } else if ((c & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c & 0x3ff) << 10) + (s.charCodeAt(++i) & 0x3ff);
        bytes[p++] = 0xf0 | (c >> 18);
        bytes[p++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[p++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[p++] = 0x80 | (c & 0x3f);
      } else {
        if ((c & 0xf800) === 0xd800) c = 0xfffd;
        bytes[p++] = 0xe0 | (c >> 12);
        bytes[p++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.view.setUint32(this.pos, p - this.pos - 4);
    this.pos = p;
  }
}

export function utf8Length(s: string): number {
  let len = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) len += 1;
    else if (c < 0x800) len += 2;
    else if ((c & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      len += 4;
      i++;
    } else len += 3;
  }
  return len;
}
