import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { configQueries } from '../api/config-queries';

/**
 * Which backend answers /v1: the embedded emulator, or a proxied upstream (its host, never a key); and in emulator
 * mode who executes the runs: the script, or a model (its host).
 */
export function BackendBadge() {
  const config = useQuery(configQueries.config());
  if (!config.data) return null;
  const { mode, upstreamHost } = config.data.backend;
  const executor = config.data.executor;
  return (
    <span className="inline-flex items-center gap-1.5 rounded-md border border-line bg-raised px-2 py-0.5 text-xs">
      <span className="hidden text-muted sm:inline">Backend</span>
      <span className="font-medium">{mode === 'emulator' ? 'Emulator' : 'Proxy'}</span>
      {upstreamHost && <span className="font-mono text-muted">{upstreamHost}</span>}
      {executor && (
        <>
          <span className="text-muted">· Runs</span>
          <span className="font-medium" data-testid="runs-executor">
            {executor.kind === 'model' ? 'Model' : 'Scripted'}
          </span>
          {executor.modelHost && <span className="font-mono text-muted">{executor.modelHost}</span>}
        </>
      )}
    </span>
  );
}

/** Renders its children only when the emulator answers /v1 (its admin routes exist). */
export function EmulatorOnly({ children }: { children: ReactNode }) {
  const config = useQuery(configQueries.config());
  return config.data?.capabilities.emulatorAdmin ? children : null;
}
