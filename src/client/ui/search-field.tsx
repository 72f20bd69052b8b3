import { cx } from './cx';
import { SearchIcon } from './icons';

/** A search box with its magnifier: `label` is what a screen reader says, `placeholder` what to type. */
export function SearchField({
  label,
  placeholder,
  value,
  onChange,
  keyShortcut,
  className,
  inputClassName,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  /** The key that focuses it, announced to assistive technology (the app binds it). */
  keyShortcut?: string;
  className?: string;
  inputClassName?: string;
}) {
  return (
    <div className={cx('relative', className)}>
      <span className="pointer-events-none absolute top-1/2 left-2 -translate-y-1/2 text-faint">
        <SearchIcon />
      </span>
      <input
        type="search"
        aria-label={label}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-keyshortcuts={keyShortcut}
        className={cx(
          'h-7 w-full rounded-md border border-line-strong bg-surface pr-2 pl-7 text-xs placeholder:text-faint',
          inputClassName,
        )}
      />
    </div>
  );
}
