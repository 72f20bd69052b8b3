import { useViewSelector } from '../../hooks/use-view-state';
import { FileFocus } from '../../features/files/file-focus';
import { FilesSection } from '../../features/files/files-section';
import { VectorStoreFiles } from '../../features/files/vector-store-files';
import { VectorStoresSection } from '../../features/files/vector-stores-section';

/**
 * The files page (`/files`, loaded when first shown): the file a link asked for, the vector stores and the files of
 * the one opened, then the files (the long list last). From 1280 px the stores and the files sit side by side.
 */
export default function FilesView() {
  const store = useViewSelector((view) => view.store);
  const file = useViewSelector((view) => view.file);
  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-[1600px] flex-col gap-3 p-3">
        <h1 className="text-base font-semibold">Files and vector stores</h1>
        {file && <FileFocus key={file} fileId={file} />}
        <div className="grid items-start gap-3 xl:grid-cols-2">
          <div className="flex min-w-0 flex-col gap-3">
            <VectorStoresSection />
            {store && <VectorStoreFiles key={store} storeId={store} />}
          </div>
          <FilesSection />
        </div>
      </div>
    </div>
  );
}
