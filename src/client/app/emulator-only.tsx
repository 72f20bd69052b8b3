import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { configQueries } from '../api/config-queries';

/** Renders its children only when the emulator answers /v1 (its admin routes exist). */
export function EmulatorOnly({ children }: { children: ReactNode }) {
  const config = useQuery(configQueries.config());
  return config.data?.capabilities.emulatorAdmin ? children : null;
}
