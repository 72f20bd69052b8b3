/** Metadata as a list of key → value pairs, keys in a fixed column. */
export function MetadataList({ entries }: { entries: readonly (readonly [string, string])[] }) {
  return (
    <dl aria-label="Metadata">
      {entries.map(([key, value]) => (
        <div key={key} className="grid grid-cols-[9.5rem_1fr] gap-2 py-0.5">
          <dt className="truncate font-mono text-xs text-muted" title={key}>
            {key}
          </dt>
          <dd className="font-mono text-xs break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
