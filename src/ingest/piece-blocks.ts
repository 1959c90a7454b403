/**
 * Shared memory for the pieces of bodies being read, reused: a SharedArrayBuffer for every 128 KiB
 * piece made each 6 MB body count as 6 MB of new external memory, and V8 answers that with
 * collections of the whole heap (14% of the main thread's time on the collector path, against
 * 3% when bodies were decoded into strings). A block goes back to the free list once the piece's
 * job has settled: the worker decodes its piece before matching it, and a job run again
 * elsewhere (its worker stopped) has not settled yet.
 */
const BLOCK_BYTES = 256 * 1024;
/**
 * At most this many free blocks are kept (16 MiB), more in use at once are made and dropped: a
 * 6 MB body is read faster than it is matched, so its ~40 pieces are all held at once, and a
 * fresh block costs its page faults (copying into new blocks ran at under 1 GB/s, a third of the
 * main thread's own work on the collector path).
 */
const KEPT_BLOCKS = 64;

export interface PieceMemory {
  bytes: Uint8Array;
  /** Gives the memory back; call once, when nothing will read `bytes` again. */
  release(): void;
}

export class PieceBlocks {
  private readonly free: SharedArrayBuffer[] = [];
  /**
   * Where parts are gathered first. A copy into shared memory goes word by word only when source
   * and target are equally aligned, byte by byte otherwise (800 MB/s against 7 GB/s here), and
   * socket chunks start anywhere: gathered here (a plain memmove), the piece is copied aligned.
   */
  private readonly gather = Buffer.allocUnsafeSlow(BLOCK_BYTES);

  /** `parts` (`size` bytes in all) copied into shared memory (a fresh buffer for a piece larger than a block). */
  copy(parts: readonly Buffer[], size: number): PieceMemory {
    const gather = size <= BLOCK_BYTES ? this.gather : Buffer.allocUnsafeSlow(size); // a rare long line: not kept
    let at = 0;
    for (const part of parts) at += part.copy(gather, at);
    const memory = this.take(size);
    gather.copy(memory.bytes, 0, 0, size);
    return memory;
  }

  private take(size: number): PieceMemory {
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
