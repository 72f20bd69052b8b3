import { useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Button } from '../../ui/button';
import { FormAlert } from '../../ui/form-field';

/**
 * Pick a file from this computer and send it: the file input, what `extra` adds (the purpose), the button, then
 * what happened (the upload's own words, or the API's error). Disabled while the upload is under way.
 */
export function UploadForm({
  label,
  failure,
  submitLabel,
  pending,
  error,
  done,
  extra,
  onUpload,
}: {
  /** The file input's label: "File to upload", "File to add to Docs". */
  label: string;
  /** What a failure means, before the API's words: "Not uploaded", "Not added". */
  failure: string;
  submitLabel: string;
  pending: boolean;
  error: Error | null;
  /** What the last upload did, said once it answered. */
  done: ReactNode;
  extra?: ReactNode;
  onUpload: (file: File) => Promise<unknown>;
}) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<File | null>(null);
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (!picked) return;
        onUpload(picked).then(
          () => {
            setPicked(null);
            if (input.current) input.current.value = '';
          },
          // Said by `error` (the mutation's); the picked file stays for another try.
          () => {},
        );
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor={inputId} className="text-xs font-medium">
            {label}
          </label>
          <input
            ref={input}
            id={inputId}
            type="file"
            disabled={pending}
            onChange={(event) => setPicked(event.target.files?.[0] ?? null)}
            className="max-w-full text-xs file:mr-2 file:h-7 file:rounded-md file:border file:border-line-strong file:bg-surface file:px-2 file:text-xs file:font-medium file:text-fg"
          />
        </div>
        {extra}
        <Button type="submit" size="sm" variant="primary" disabled={!picked || pending}>
          {pending ? 'Uploading…' : submitLabel}
        </Button>
      </div>
      {error ? (
        <FormAlert className="text-xs">
          {failure}: {error.message}
        </FormAlert>
      ) : (
        !pending &&
        done && (
          <p role="status" className="text-xs text-muted">
            {done}
          </p>
        )
      )}
    </form>
  );
}
