import type { ReactNode } from 'react';

/** A titled block of the detail panel. */
export function DetailSection({
  title,
  children,
  aside,
}: {
  title: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section aria-label={title} className="border-b border-line px-4 py-3">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** One field: a readable label, the wire name beside it, and the value. */
export function Field({
  label,
  wireName,
  children,
}: {
  label: string;
  wireName: string;
  children: ReactNode;
}) {
  return (
    <div className="grid grid-cols-[minmax(6.5rem,9rem)_1fr] items-baseline gap-2 py-1">
      <dt className="flex min-w-0 flex-col leading-4">
        <span className="text-muted">{label}</span>
        <span className="truncate font-mono text-[10px] leading-3 text-faint">{wireName}</span>
      </dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export function Missing({ children = '—' }: { children?: ReactNode }) {
  return <span className="text-faint">{children}</span>;
}
