/**
 * Why a file cannot be indexed, with the `last_error.code` OpenAI gives a vector store file
 * (`unsupported_file` | `invalid_file`; `server_error` is the routes' own).
 */
export class FileParseError extends Error {
  constructor(
    readonly code: 'unsupported_file' | 'invalid_file',
    message: string,
  ) {
    super(message);
  }
}

/**
 * OpenAI's refusal of a file type file search does not read. The wording is OpenAI's as its users quoted it
 * (`Files with extensions [.csv] are not supported for retrieval. See …`); the reference folder does not hold it.
 */
export function unsupportedFile(extension: string | null): FileParseError {
  return new FileParseError(
    'unsupported_file',
    `Files with extensions [${extension ?? 'none'}] are not supported for retrieval. ` +
      'See https://platform.openai.com/docs/assistants/tools/file-search#supported-files',
  );
}
