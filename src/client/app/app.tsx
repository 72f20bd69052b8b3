import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useAccessToken } from '../hooks/use-access-token';
import { createQueryClient } from './query-client';
import { AppShell } from './app-shell';

// Only a server that asks for a token shows it: its code loads then, outside the initial bundle.
const TokenPrompt = lazy(() => import('./token-prompt').then((module) => ({ default: module.TokenPrompt })));

export function App() {
  const [queryClient] = useState(createQueryClient);
  const { prompt } = useAccessToken();
  return (
    <QueryClientProvider client={queryClient}>
      <AppShell />
      {prompt && (
        <Suspense fallback={null}>
          <TokenPrompt />
        </Suspense>
      )}
    </QueryClientProvider>
  );
}
