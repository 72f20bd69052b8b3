import { navigateOnPlainClick, useViewSelector } from '../hooks/use-view-state';
import type { ViewPage } from '../lib/view-state';
import { cx } from '../ui/cx';

const PAGES: [ViewPage, string, string][] = [
  ['runs', 'Runs', '/'],
  ['files', 'Files', '/files'],
];

/** The header's pages: the runs and the files and vector stores; the one shown is the current page. */
export function PageLinks() {
  const page = useViewSelector((view) => view.page);
  return (
    <nav aria-label="Pages" className="flex shrink-0 gap-0.5 text-xs">
      {PAGES.map(([id, label, href]) => (
        <a
          key={id}
          href={href}
          aria-current={page === id ? 'page' : undefined}
          onClick={(event) => navigateOnPlainClick(event, { page: id, store: null, file: null })}
          className={cx(
            'rounded-md px-2 py-1 font-medium',
            page === id ? 'bg-raised text-fg' : 'text-muted hover:text-fg',
          )}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
