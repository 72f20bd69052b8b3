import busboy from 'busboy';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { badRequest } from '../api-error';
import { newFileId } from '../ids';
import { FileTooLarge, type FileBytes } from './file-bytes';

export interface StoredUpload {
  id: string;
  filename: string;
  bytes: number;
}

export interface ReceivedUpload {
  /** The `file` part, already written to `FileBytes` under a new id; null when the request had none. */
  file: StoredUpload | null;
  /** The other parts (first value of each name), `purpose` among them. */
  fields: Map<string, string>;
}

/** Bounds on the parts beside the file: a few short fields. */
const FIELD_LIMITS = { fields: 16, fieldSize: 4096, parts: 32, files: 1 };

/**
 * Reads a `multipart/form-data` upload as it arrives: the `file` part is streamed straight to `bytes` (never held
 * whole), bounded by `maxBytes` (past it: `FileTooLarge`, nothing kept). A body that is not multipart reads as empty,
 * so the route refuses it for its missing `file`. The caller removes the stored file if it refuses the request.
 */
export function receiveUpload(request: Request, bytes: FileBytes, maxBytes: number): Promise<ReceivedUpload> {
  const fields = new Map<string, string>();
  const contentType = request.headers.get('content-type') ?? '';
  if (!request.body || !contentType.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.resolve({ file: null, fields });
  }
  return new Promise((resolve, reject) => {
    let upload: Promise<StoredUpload> | null = null;
    let fileStream: Readable | null = null;
    let failed = false;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        // Browsers and the SDK send a filename's UTF-8 bytes as they are (busboy's default reads them as latin1).
        defParamCharset: 'utf8',
        // One byte over the bound so that a file of exactly `maxBytes` is not marked truncated.
        limits: { ...FIELD_LIMITS, fileSize: maxBytes + 1 },
      });
    } catch (error) {
      reject(badRequest(`Could not parse multipart form: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => {
      if (!fields.has(name)) fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || upload) {
        stream.resume();
        return;
      }
      fileStream = stream;
      const id = newFileId();
      upload = bytes.write(id, stream, maxBytes).then(async (size) => {
        // busboy stops at `fileSize` and marks the part truncated (`write` has refused it already at `maxBytes`).
        if (stream.truncated) {
          await bytes.remove(id);
          throw new FileTooLarge();
        }
        return { id, filename: info.filename || 'upload', bytes: size };
      });
      upload.catch(() => undefined); // awaited on 'close'; a parse error in between must not leave it unhandled
    });
    parser.on('close', () => {
      if (failed) return;
      if (!upload) resolve({ file: null, fields });
      else upload.then((file) => resolve({ file, fields }), reject);
    });
    // A broken body or a client that went away: the part being written is cut off (`write` removes what it wrote),
    // and the answer waits until nothing is left on disk.
    parser.on('error', (error) => {
      failed = true;
      fileStream?.destroy(error as Error);
      const removed = upload?.then((file) => bytes.remove(file.id)).catch(() => undefined);
      void Promise.resolve(removed).then(() =>
        reject(badRequest(`Could not parse multipart form: ${(error as Error).message}`)),
      );
    });
    const body = Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>);
    body.on('error', (error) => parser.destroy(error));
    body.pipe(parser);
  });
}
