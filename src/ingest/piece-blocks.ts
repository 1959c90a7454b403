/**
 * Shared memory for the pieces of bodies being read, reused: a SharedArrayBuffer for every 128 KiB
 * piece made each 6 MB body count as 6 MB of new external memory, and V8 answers that with
 * collections of the whole heap (14% of the main thread's time on the collector path, against
 * 3% when bodies were decoded into strings). A block goes back to the free list once the piece's
 * job has settled: the worker decodes its piece before matching it, and a job run again
 * elsewhere (its worker stopped) has not settled yet.
 */
const BLOCK_BYTES = 256 * 1024;
/** At most this many free blocks are kept (8 MiB); more in use at once are made and dropped. */
const KEPT_BLOCKS = 32;

export interface PieceMemory {
  bytes: Uint8Array;
  /** Gives the memory back; call once, when nothing will read `bytes` again. */
  release(): void;
}

export class PieceBlocks {
  private readonly free: SharedArrayBuffer[] = [];

  /** `size` bytes of shared memory (a fresh buffer for a piece larger than a block). */
  take(size: number): PieceMemory {
    if (size > BLOCK_BYTES) return { bytes: new Uint8Array(new SharedArrayBuffer(size)), release: () => undefined };
    const block = this.free.pop() ?? new SharedArrayBuffer(BLOCK_BYTES);
    return {
      bytes: new Uint8Array(block, 0, size),
      release: () => {
        if (this.free.length < KEPT_BLOCKS) this.free.push(block);
      },
    };
  }
}
