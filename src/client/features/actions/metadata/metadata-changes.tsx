import type { MetadataChange } from './metadata-pairs';

const SIGN: Record<MetadataChange['kind'], { glyph: string; label: string; className: string }> = {
  added: { glyph: '+', label: 'Added', className: 'text-status-success' },
  changed: { glyph: '~', label: 'Changed', className: 'text-status-warning' },
  removed: { glyph: '−', label: 'Removed', className: 'text-status-danger' },
};

/** What saving will do, key by key, before anything is sent. */
export function MetadataChanges({ changes }: { changes: MetadataChange[] }) {
  if (changes.length === 0) return <p className="text-xs text-muted">No changes yet.</p>;
  return (
    <ul aria-label="Changes to save" className="flex flex-col gap-0.5 font-mono text-xs">
      {changes.map((change) => {
        const sign = SIGN[change.kind];
        return (
          <li key={`${change.kind}-${change.key}`} className="flex min-w-0 gap-1.5">
            <span aria-hidden="true" className={sign.className}>
              {sign.glyph}
            </span>
            <span className="sr-only">{sign.label}:</span>
            <span className="min-w-0 break-all">
              <span className="text-muted">{change.key}</span>
              {change.kind === 'changed' && (
                <>
                  : <del className="text-faint">{change.before}</del> →{' '}
                  <ins className="no-underline">{change.after}</ins>
                </>
              )}
              {change.kind === 'added' && <>: {change.after}</>}
              {change.kind === 'removed' && (
                <>
                  : <del className="text-faint">{change.before}</del>
                </>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
