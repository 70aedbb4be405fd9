/** Thrown when a pool cannot reserve the minimum number of buffers a partition or gate needs. */
export class InsufficientNetworkBuffersError extends Error {
  readonly requested: number;
  readonly available: number;

  constructor(requested: number, available: number, what: string) {
    super(`insufficient network buffers for ${what}: need ${requested}, ${available} left (raise totalBuffers)`);
    this.name = 'InsufficientNetworkBuffersError';
    this.requested = requested;
    this.available = available;
  }
}

/**
 * All network memory of one TaskManager, as fixed-size segments. Segments are allocated lazily
 * (an idle TaskManager should not hold 64 MiB) and never freed, only reused.
 */
export class NetworkBufferPool {
  readonly segmentSize: number;
  readonly totalSegments: number;
  private readonly free: Buffer[] = [];
  private allocated = 0;

  constructor(totalSegments: number, segmentSize: number) {
    this.totalSegments = totalSegments;
    this.segmentSize = segmentSize;
  }

  get availableSegments(): number {
    return this.free.length + (this.totalSegments - this.allocated);
  }

  get usedSegments(): number {
    return this.totalSegments - this.availableSegments;
  }

  /** Segments created so far (each a Buffer outside the V8 heap); the rest exist only as a promise. */
  get allocatedSegments(): number {
    return this.allocated;
  }

  requestSegment(): Buffer | null {
    const segment = this.free.pop();
    if (segment !== undefined) return segment;
    if (this.allocated >= this.totalSegments) return null;
    this.allocated++;
    return Buffer.allocUnsafeSlow(this.segmentSize);
  }

  /** All or nothing, so a half-built gate never holds buffers it cannot use. */
  requestSegments(n: number, what: string): Buffer[] {
    if (this.availableSegments < n) throw new InsufficientNetworkBuffersError(n, this.availableSegments, what);
    const out: Buffer[] = [];
    for (let i = 0; i < n; i++) out.push(this.requestSegment()!);
    return out;
  }

  recycleSegment(segment: Buffer): void {
    this.free.push(segment);
  }
}
