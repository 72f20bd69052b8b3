import type { VectorStoreFileContentPage } from '../../shared/openai-types';

/** The most UTF-8 bytes of parsed text one content answer carries (a file may parse to 20,000,000 characters). */
export const MAX_FILE_CONTENT_BYTES = 4 * 1024 * 1024;

/**
 * A file's parsed text as `VectorStoreFileContentResponse`: one `text` part of at most `maxBytes` UTF-8 bytes, cut
 * between characters. Past the bound `has_more` is true; `next_page` stays null, as the spec gives the request no
 * page token to send back (and the SDK's `Page` asks for no next page).
 */
export function fileContentPage(text: string, maxBytes = MAX_FILE_CONTENT_BYTES): VectorStoreFileContentPage {
  const room = new Uint8Array(Math.min(maxBytes, text.length * 3));
  const { read } = new TextEncoder().encodeInto(text, room);
  return {
    object: 'vector_store.file_content.page',
    data: text.length === 0 ? [] : [{ type: 'text', text: text.slice(0, read) }],
    has_more: read < text.length,
    next_page: null,
  };
}
