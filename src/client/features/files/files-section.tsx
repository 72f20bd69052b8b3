import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FilePurpose, OpenAIFile } from '../../../shared/openai-types';
import { FILES_PAGE_SIZE, fileQueries } from '../../api/file-queries';
import { formatBytes } from '../../lib/format-bytes';
import { EmptyState } from '../../ui/empty-state';
import { RelativeTime } from '../../ui/relative-time';
import { FileRowActions } from './file-row-actions';
import { PagedList } from './list-pager';
import { PurposeSelect } from './purpose-select';
import { UploadForm } from './upload-form';
import { useCursorPages } from './use-cursor-pages';
import { useUploadFile } from './use-file-mutations';

/** Files uploaded to this server (`/v1/files`), newest first, a page at a time, of one purpose or all; upload one. */
export function FilesSection() {
  const [purpose, setPurpose] = useState<FilePurpose | null>(null);
  const pages = useCursorPages(purpose);
  const files = useQuery(fileQueries.page({ purpose, after: pages.after }));
  return (
    <section
      aria-labelledby="files-heading"
      className="@container flex min-w-0 flex-col rounded-md border border-line bg-surface"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
        <h2 id="files-heading" className="text-sm font-semibold">
          Files
        </h2>
        <PurposeSelect
          label="Show purpose"
          anyLabel="All purposes"
          value={purpose}
          onChange={setPurpose}
          className="ml-auto items-center gap-1.5"
        />
      </div>
      <div className="border-b border-line px-3 py-2">
        <UploadFile onUploaded={pages.first} />
      </div>
      <PagedList
        query={files}
        pages={pages}
        noun="Files"
        pageSize={FILES_PAGE_SIZE}
        errorTitle="Cannot load the files"
        loadingLabel="Loading files"
        empty={
          <EmptyState title={purpose ? `No file with the purpose ${purpose}` : 'No file uploaded yet'}>
            Upload one above, or with the SDK (<code className="font-mono">client.files.create</code>) against
            this server.
          </EmptyState>
        }
      >
        {(page, busy) => <FilesTable files={page} busy={busy} />}
      </PagedList>
    </section>
  );
}

function UploadFile({ onUploaded }: { onUploaded: () => void }) {
  const upload = useUploadFile();
  const [purpose, setPurpose] = useState<FilePurpose>('assistants');
  return (
    <UploadForm
      label="File to upload"
      failure="Not uploaded"
      submitLabel="Upload"
      pending={upload.isPending}
      error={upload.error}
      done={
        upload.data && (
          <>
            Uploaded <strong className="text-fg">{upload.data.filename}</strong> as{' '}
            <span className="font-mono">{upload.data.id}</span> ({formatBytes(upload.data.bytes)})
          </>
        )
      }
      extra={
        <PurposeSelect
          label="Purpose"
          value={purpose}
          disabled={upload.isPending}
          onChange={setPurpose}
          className="flex-col"
        />
      }
      onUpload={(file) => upload.mutateAsync({ file, purpose }).then(onUploaded)}
    />
  );
}

/**
 * A page of files: name and id, purpose, size, created; where the section is narrower than 36rem (a phone, or beside
 * the vector stores) the purpose, size and time go under the name.
 */
function FilesTable({ files, busy }: { files: OpenAIFile[]; busy: boolean }) {
  return (
    <table aria-busy={busy} className="w-full table-fixed text-xs">
      <caption className="sr-only">Files, newest first</caption>
      <thead className="text-left text-muted">
        <tr className="border-b border-line">
          <th scope="col" className="px-3 py-1.5 font-medium">
            Name
          </th>
          <th scope="col" className="hidden w-24 px-2 py-1.5 font-medium @xl:table-cell">
            Purpose
          </th>
          <th scope="col" className="hidden w-20 px-2 py-1.5 text-right font-medium @xl:table-cell">
            Size
          </th>
          <th scope="col" className="hidden w-28 px-2 py-1.5 font-medium @xl:table-cell">
            Created
          </th>
          <th scope="col" className="w-40 px-3 py-1.5 text-right font-medium">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={file.id} className="border-b border-line last:border-b-0">
            <td className="px-3 py-1.5 align-top">
              <p className="truncate font-medium" title={file.filename}>
                {file.filename}
              </p>
              <p className="font-mono text-[11px] break-all text-muted">{file.id}</p>
              <p className="text-[11px] text-muted @xl:hidden">
                {file.purpose} · {formatBytes(file.bytes)} · <RelativeTime at={file.created_at} />
              </p>
            </td>
            <td className="hidden px-2 py-1.5 align-top @xl:table-cell">{file.purpose}</td>
            <td className="hidden px-2 py-1.5 text-right align-top tabular-nums @xl:table-cell">
              {formatBytes(file.bytes)}
            </td>
            <td className="hidden px-2 py-1.5 align-top @xl:table-cell">
              <RelativeTime at={file.created_at} />
            </td>
            <td className="px-3 py-1 align-top">
              <FileRowActions file={file} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
