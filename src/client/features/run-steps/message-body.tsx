import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Message } from '../../../shared/openai-types';
import { fileQueries } from '../../api/file-queries';
import { FileLink } from '../../ui/file-link';
import { citedText } from './cited-text';

/**
 * A message's text with its citations: each cited passage's marker becomes a numbered link to the file ("[1]",
 * named "Citation 1: guide.md"), and the sources are listed under the text, each by its file's name.
 */
export function MessageBody({ message, className }: { message: Message; className?: string }) {
  const { parts, sources } = useMemo(() => citedText(message), [message]);
  const empty = parts.every((pieces) => pieces.length === 0);
  return (
    <>
      <p className={className}>
        {empty
          ? '(empty)'
          : parts.map((pieces, part) => (
              <span key={part}>
                {part > 0 && '\n'}
                {pieces.map((piece, index) =>
                  piece.kind === 'text' ? (
                    piece.text
                  ) : (
                    <Citation key={index} fileId={piece.fileId} source={piece.source} marker={piece.marker} />
                  ),
                )}
              </span>
            ))}
      </p>
      {sources.length > 0 && (
        <ol aria-label={`Sources of ${message.id}`} className="mt-1 flex flex-col gap-0.5 text-[11px]">
          {sources.map((source) => (
            <li key={source.fileId} className="flex min-w-0 gap-1">
              <span className="text-muted tabular-nums">[{source.number}]</span>
              <FileLink fileId={source.fileId} className="min-w-0 truncate">
                <FileName fileId={source.fileId} />
              </FileLink>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function Citation({ fileId, source, marker }: { fileId: string; source: number; marker: string }) {
  const name = useFileName(fileId);
  return (
    <FileLink
      fileId={fileId}
      label={`Citation ${source}: ${name}`}
      className="px-0.5 align-super text-[11px] leading-none font-semibold"
    >
      <span aria-hidden="true" data-marker={marker}>
        [{source}]
      </span>
    </FileLink>
  );
}

/** A cited file's name, read from Files (its id until then, or when it was deleted). */
function useFileName(fileId: string): string {
  return useQuery({ ...fileQueries.detail(fileId), retry: false }).data?.filename ?? fileId;
}

function FileName({ fileId }: { fileId: string }) {
  return <>{useFileName(fileId)}</>;
}
