/**
 * The last `capacity` bytes of a command's combined stdout and stderr, in arrival order: a
 * fixed ring, so a command that prints gigabytes costs the wrapper 10 KB.
 */
export class OutputTail {
  private readonly ring: Buffer;
  private end = 0; // where the next byte goes
  private full = false;

  constructor(readonly capacity = 10 * 1024) {
    this.ring = Buffer.alloc(capacity);
  }

  push(chunk: Buffer): void {
    if (chunk.length >= this.capacity) {
      chunk.copy(this.ring, 0, chunk.length - this.capacity);
      this.end = 0;
      this.full = true;
      return;
    }
    const first = Math.min(chunk.length, this.capacity - this.end);
    chunk.copy(this.ring, this.end, 0, first);
    chunk.copy(this.ring, 0, first);
    if (this.end + chunk.length >= this.capacity) this.full = true;
    this.end = (this.end + chunk.length) % this.capacity;
  }

  bytes(): Buffer {
    if (!this.full) return Buffer.from(this.ring.subarray(0, this.end));
    return Buffer.concat([this.ring.subarray(this.end), this.ring.subarray(0, this.end)]);
  }

  /**
   * The tail as text for the API. The cut may fall inside a UTF-8 character: its orphaned
   * continuation bytes are dropped rather than shown as a replacement character; other invalid
   * bytes (binary output) become U+FFFD.
   */
  text(): string {
    let bytes = this.bytes();
    if (this.full) {
      let skip = 0;
      while (skip < 3 && skip < bytes.length && (bytes[skip]! & 0xc0) === 0x80) skip++;
      bytes = bytes.subarray(skip);
    }
    return bytes.toString('utf8');
  }
}
