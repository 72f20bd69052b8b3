import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { OpenAIFile } from '../../../shared/openai-types';
import { downloadFile } from '../../api/file-download';
import { Button } from '../../ui/button';
import { FormAlert } from '../../ui/form-field';
import { ConfirmDeleteDialog } from './confirm-delete-dialog';
import { useDeleteFile } from './use-file-mutations';

/** Download a file's exact bytes under its name, or delete it (after a confirmation); each named by the file. */
export function FileRowActions({ file }: { file: OpenAIFile }) {
  const download = useMutation({ mutationFn: () => downloadFile(file.id, file.filename) });
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex justify-end gap-1">
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Download ${file.filename}`}
          disabled={download.isPending}
          onClick={() => download.mutate()}
        >
          {download.isPending ? 'Downloading…' : 'Download'}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Delete ${file.filename}`}
          onClick={() => setConfirming(true)}
        >
          Delete
        </Button>
      </div>
      {download.error && <FormAlert className="text-xs">Not downloaded: {download.error.message}</FormAlert>}
      {confirming && <DeleteFileDialog file={file} onClose={() => setConfirming(false)} />}
    </div>
  );
}

function DeleteFileDialog({ file, onClose }: { file: OpenAIFile; onClose: () => void }) {
  const remove = useDeleteFile();
  return (
    <ConfirmDeleteDialog
      title={`Delete ${file.filename}?`}
      what="file"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(file, { onSuccess: onClose })}
      onClose={onClose}
    >
      The file <span className="font-mono">{file.id}</span> and its bytes are deleted from this server. This
      cannot be undone; runs that cited it keep their citations.
    </ConfirmDeleteDialog>
  );
}
