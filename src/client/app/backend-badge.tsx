import { useQuery } from '@tanstack/react-query';
import { configQueries } from '../api/config-queries';

/** Which backend answers /v1: the embedded emulator, or a proxied upstream (its host, never a key). */
export function BackendBadge() {
  const config = useQuery(configQueries.config());
  if (!config.data) return null;
  const { mode, upstreamHost } = config.data.backend;
  return (
    <span className="inline-flex items-center gap-1.5 rounded-md border border-line bg-raised px-2 py-0.5 text-xs">
      <span className="text-muted">Backend</span>
      <span className="font-medium">{mode === 'emulator' ? 'Emulator' : 'Proxy'}</span>
      {upstreamHost && <span className="font-mono text-muted">{upstreamHost}</span>}
    </span>
  );
}
