import { useQuery } from '@tanstack/react-query';
import { configQueries } from '../api/config-queries';

/**
 * Which backend answers /v1: the embedded emulator, or a proxied upstream (its host, never a key); in emulator
 * mode who executes the runs: the script, or a model (its host); where the data is kept (the SQLite file, or the
 * PostgreSQL host and database, never a password); and which instance answered (several may serve one database).
 */
export function BackendBadge() {
  const config = useQuery(configQueries.config());
  if (!config.data) return null;
  const { mode, upstreamHost } = config.data.backend;
  const { executor, store, instance } = config.data;
  // host:pid, without the start time (in the tooltip).
  const shortInstance = instance.split(':').slice(0, 2).join(':');
  const storePlace = store.kind === 'sqlite' ? store.file : `${store.host}:${store.port}/${store.database}`;
  return (
    <span className="inline-flex items-center gap-1.5 rounded-md border border-line bg-raised px-2 py-0.5 text-xs">
      <span className="sr-only text-muted xl:not-sr-only">Backend</span>
      <span className="font-medium">{mode === 'emulator' ? 'Emulator' : 'Proxy'}</span>
      {upstreamHost && <span className="font-mono text-muted">{upstreamHost}</span>}
      {executor && (
        <>
          <span className="text-muted">
            · <span className="sr-only xl:not-sr-only">Runs</span>
          </span>
          <span className="font-medium" data-testid="runs-executor">
            {executor.kind === 'model' ? 'Model' : 'Scripted'}
          </span>
          {executor.modelHost && <span className="font-mono text-muted">{executor.modelHost}</span>}
        </>
      )}
      {/* Labels and the store's place give way (to a screen reader, a tooltip) where the header would wrap. */}
      <span className="text-muted">
        · <span className="sr-only 2xl:not-sr-only">Store</span>
      </span>
      <span className="font-medium" data-testid="store" title={storePlace}>
        {store.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}
      </span>
      <span className="sr-only max-w-48 truncate font-mono text-muted xl:not-sr-only" title={storePlace}>
        {storePlace}
      </span>
      <span className="text-muted">
        · <span className="hidden 2xl:inline">Instance</span>
      </span>
      <span className="font-mono text-muted" title={`Instance ${instance} answered`} data-testid="instance">
        <span className="sr-only 2xl:hidden">Instance </span>
        {shortInstance}
      </span>
    </span>
  );
}
