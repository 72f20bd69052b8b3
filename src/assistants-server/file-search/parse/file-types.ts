/**
 * The file types file search reads: OpenAI's list for file search (extension and MIME type), plus `.csv`, which
 * the issue asks for and OpenAI left to code_interpreter. The kind says which parser reads the bytes.
 */
export type FileKind = 'text' | 'markdown' | 'json' | 'html' | 'code' | 'csv' | 'pdf' | 'docx' | 'pptx';

interface FileType {
  extension: string;
  mimeTypes: readonly string[];
  kind: FileKind;
}

const FILE_TYPES: readonly FileType[] = [
  { extension: '.c', mimeTypes: ['text/x-c'], kind: 'code' },
  { extension: '.cpp', mimeTypes: ['text/x-c++'], kind: 'code' },
  { extension: '.cs', mimeTypes: ['text/x-csharp'], kind: 'code' },
  { extension: '.css', mimeTypes: ['text/css'], kind: 'code' },
  { extension: '.csv', mimeTypes: ['text/csv'], kind: 'csv' },
  {
    extension: '.docx',
    mimeTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    kind: 'docx',
  },
  { extension: '.go', mimeTypes: ['text/x-golang'], kind: 'code' },
  { extension: '.html', mimeTypes: ['text/html'], kind: 'html' },
  { extension: '.java', mimeTypes: ['text/x-java'], kind: 'code' },
  { extension: '.js', mimeTypes: ['text/javascript'], kind: 'code' },
  { extension: '.json', mimeTypes: ['application/json'], kind: 'json' },
  { extension: '.md', mimeTypes: ['text/markdown'], kind: 'markdown' },
  { extension: '.pdf', mimeTypes: ['application/pdf'], kind: 'pdf' },
  { extension: '.php', mimeTypes: ['text/x-php'], kind: 'code' },
  {
    extension: '.pptx',
    mimeTypes: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    kind: 'pptx',
  },
  { extension: '.py', mimeTypes: ['text/x-python', 'text/x-script.python'], kind: 'code' },
  { extension: '.rb', mimeTypes: ['text/x-ruby'], kind: 'code' },
  { extension: '.sh', mimeTypes: ['application/x-sh'], kind: 'code' },
  { extension: '.tex', mimeTypes: ['text/x-tex'], kind: 'text' },
  { extension: '.ts', mimeTypes: ['application/typescript'], kind: 'code' },
  { extension: '.txt', mimeTypes: ['text/plain'], kind: 'text' },
];

/** Every extension file search reads, in order (for documentation and refusals). */
export const SUPPORTED_EXTENSIONS: readonly string[] = FILE_TYPES.map((type) => type.extension);

/** `report.PDF` → `.pdf`; no extension → null. */
export function extensionOf(filename: string): string | null {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot).toLowerCase() : null;
}

/**
 * The kind of a file by its extension, else (a name without one) by its MIME type; null when neither is on the
 * list. The extension decides when both are given, as at OpenAI (which refused by extension).
 */
export function fileKindOf(filename: string, mimeType: string | null = null): FileKind | null {
  const extension = extensionOf(filename);
  if (extension !== null) return FILE_TYPES.find((type) => type.extension === extension)?.kind ?? null;
  const mime = mimeType?.split(';')[0]?.trim().toLowerCase();
  return FILE_TYPES.find((type) => mime && type.mimeTypes.includes(mime))?.kind ?? null;
}
