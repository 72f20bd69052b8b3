import { Readable } from 'node:stream';
import type { FileBytes } from '../files/file-bytes';
import { FolderFileBytes } from '../files/folder-file-bytes';

/** Uploads kept in a temporary folder; `read` is the stand-in's. */
function folderWith(read: (inner: FolderFileBytes, id: string) => Readable): FileBytes {
  const inner = FolderFileBytes.beside(':memory:');
  return {
    write: (id, source, maxBytes) => inner.write(id, source, maxBytes),
    remove: (id) => inner.remove(id),
    close: () => inner.close(),
    read: (id) => read(inner, id),
  };
}

/** Bytes whose reads wait for the test while `held` (a slow disk or database under the processing or the parse). */
export function heldBytes(): { bytes: FileBytes; hold(): void; release(): void } {
  let gate: Promise<void> | null = null;
  let open = () => {};
  return {
    bytes: folderWith((inner, id) => {
      const waitFor = gate;
      return Readable.from(
        (async function* () {
          await waitFor;
          yield* inner.read(id);
        })(),
      );
    }),
    hold: () => void (gate = new Promise((resolve) => (open = resolve))),
    release: () => open(),
  };
}

/**
 * Bytes that, once `armed`, answer every read with `parts` parts of `partBytes` of text, counting each part it
 * produces: the first at once, the others only once `release()`d (a slow source). Destroying the stream stops it.
 */
export function countingBytes(parts: number, partBytes = 64 * 1024) {
  const state = { armed: false, produced: 0, released: false };
  const waiting = new Set<() => void>();
  const part = Buffer.from('pallet '.repeat(Math.ceil(partBytes / 7)).slice(0, partBytes));
  const bytes = folderWith((inner, id) => {
    if (!state.armed) return inner.read(id);
    let sent = 0;
    const stream: Readable = new Readable({
      read() {
        const produce = () => {
          if (stream.destroyed) return;
          if (sent === parts) return void stream.push(null);
          sent++;
          state.produced++;
          stream.push(part);
        };
        if (sent === 0 || state.released) produce();
        else waiting.add(produce);
      },
    });
    return stream;
  });
  return {
    bytes,
    state,
    arm: () => void (state.armed = true),
    release: () => {
      state.released = true;
      for (const produce of waiting) produce();
      waiting.clear();
    },
  };
}
