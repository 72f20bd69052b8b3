import type { ReactNode } from 'react';

/** An empty area that says what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center gap-2 px-6 py-10 text-center">
      <p className="font-medium">{title}</p>
      {children && <div className="max-w-sm text-muted">{children}</div>}
    </div>
  );
}
