import { randomBytes } from 'node:crypto';

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 24;
const POOL_SIZE = ID_LENGTH * 1024;

export type IdPrefix = 'asst' | 'thread' | 'msg' | 'run' | 'step' | 'call' | 'vs' | 'vsfb';

// Random bytes are drawn in pools: the bulk seed makes 100,000 ids in one go.
let pool = randomBytes(POOL_SIZE);
let offset = 0;

/** An id shaped like OpenAI's: the prefix, an underscore, 24 random alphanumerics. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomSuffix()}`;
}

/** A file's id, which OpenAI writes with a hyphen: `file-` and 24 random alphanumerics. */
export function newFileId(): string {
  return `file-${randomSuffix()}`;
}

function randomSuffix(): string {
  let suffix = '';
  for (let index = 0; index < ID_LENGTH; index++) {
    if (offset === POOL_SIZE) {
      pool = randomBytes(POOL_SIZE);
      offset = 0;
    }
    // 248 = 4 × 62: bytes above it are skipped so every character is equally likely.
    let byte = pool[offset++]!;
    while (byte >= 248) {
      if (offset === POOL_SIZE) {
        pool = randomBytes(POOL_SIZE);
        offset = 0;
      }
      byte = pool[offset++]!;
    }
    suffix += ALPHANUMERICS[byte % 62];
  }
  return suffix;
}
