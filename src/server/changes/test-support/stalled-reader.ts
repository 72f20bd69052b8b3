import { connect, type Socket } from 'node:net';

/** A resumed stalled reader that gets nothing for this long is taken as still open (not disconnected). */
const IDLE_MS = 3_000;

export interface StalledReader {
  /** Resumes reading: what is left, until the server ends the stream or nothing comes for 3 s. */
  drain(): Promise<{ bytes: number; ended: boolean }>;
  destroy(): void;
}

/**
 * A raw HTTP client that opens /api/changes, reads up to its first frame, then stops reading (its socket paused): the
 * kernel's buffers fill, then the server's. `headers` are added to the request (an access token).
 */
export function openStalledReader(url: string, headers: Record<string, string> = {}): Promise<StalledReader> {
  const { hostname, port } = new URL(url);
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let head = '';
    let ended = false;
    socket.once('error', reject);
    socket.once('end', () => (ended = true));
    socket.once('close', () => (ended = true));
    socket.write(
      `GET /api/changes HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n${extra}\r\n`,
    );
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!/\r\n\r\n[\s\S]*id: \d+\n\n/.test(head)) return;
      socket.off('data', onData);
      socket.pause();
      resolve({
        drain: () =>
          new Promise((done) => {
            let bytes = 0;
            let idle = setTimeout(finish, IDLE_MS);
            function finish() {
              clearTimeout(idle);
              done({ bytes, ended });
            }
            socket.on('data', (more: Buffer) => {
              bytes += more.byteLength;
              clearTimeout(idle);
              idle = setTimeout(finish, IDLE_MS);
            });
            socket.once('close', finish);
            if (ended) finish();
            socket.resume();
          }),
        destroy: () => socket.destroy(),
      });
    };
    socket.on('data', onData);
  });
}
