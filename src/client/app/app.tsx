import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createQueryClient } from './query-client';
import { AppShell } from './app-shell';
import { TokenPrompt } from './token-prompt';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <AppShell />
      <TokenPrompt />
    </QueryClientProvider>
  );
}
