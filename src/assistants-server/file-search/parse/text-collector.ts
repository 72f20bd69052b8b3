import { FileParseError } from './parse-errors';

/**
 * Text extracted piece by piece, bounded: passing `maxChars` throws at once (nothing more is read), blank runs
 * fold to one space, and lines end without trailing spaces, at most one blank line in a row.
 */
export class TextCollector {
  private readonly parts: string[] = [];
  private length = 0;
  private atLineStart = true;
  private blankLines = 0;

  constructor(private readonly maxChars: number) {}

  append(piece: string): void {
    const text = this.atLineStart ? piece.replace(/^[ \t]+/, '') : piece;
    if (text === '') return;
    this.push(text);
    this.atLineStart = false;
    this.blankLines = 0;
  }

  newline(): void {
    if (this.atLineStart) {
      if (this.blankLines >= 1 || this.length === 0) return;
      this.blankLines++;
    }
    this.push('\n');
    this.atLineStart = true;
  }

  text(): string {
    return this.parts
      .join('')
      .replace(/[ \t]+\n/g, '\n')
      .trim();
  }

  private push(text: string) {
    this.length += text.length;
    if (this.length > this.maxChars) throw tooMuchText(this.maxChars);
    this.parts.push(text);
  }
}

export function tooMuchText(maxChars: number): FileParseError {
  return new FileParseError(
    'invalid_file',
    `The file's text is longer than ${maxChars} characters, the most file search extracts from one file.`,
  );
}
