import { useId } from 'react';
import type { ReactNode } from 'react';
import { cx } from './cx';

/** The look of a text input, textarea or select; `aria-invalid` turns its border red. */
export const fieldClass =
  'rounded-md border border-line-strong bg-surface px-2 text-xs aria-[invalid=true]:border-status-danger';

/**
 * A labelled control with an optional hint and error, wired with `htmlFor` and `aria-describedby`. The control is
 * rendered by `children` with the ids to put on it.
 */
export function FormField({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: (ids: {
    inputId: string;
    describedBy: string | undefined;
    invalid: true | undefined;
  }) => ReactNode;
}) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('flex min-w-0 flex-col gap-1', className)}>
      <label htmlFor={inputId} className="text-xs font-medium">
        {label}
      </label>
      {children({ inputId, describedBy, invalid: error ? true : undefined })}
      {hint && <FieldHint id={hintId}>{hint}</FieldHint>}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

/** Help under a control; `warning` for a caution that does not block (e.g. text that is not JSON). */
export function FieldHint({
  id,
  tone = 'muted',
  children,
}: {
  id?: string;
  tone?: 'muted' | 'warning';
  children: ReactNode;
}) {
  return (
    <span
      id={id}
      className={cx(
        'text-[11px]',
        tone === 'warning'
          ? 'flex items-center gap-1 rounded bg-status-warning-soft px-1.5 py-0.5 font-medium text-status-warning'
          : 'text-muted',
      )}
    >
      {tone === 'warning' && <span aria-hidden="true">⚠</span>}
      {children}
    </span>
  );
}

/** What is wrong with a control's value, under it. */
export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <span id={id} role="alert" className="text-[11px] text-status-danger">
      {children}
    </span>
  );
}

/** A request that failed or was refused, said in a box above the form's buttons (the API's words inside). */
export function FormAlert({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <p
      role="alert"
      className={cx(
        'rounded-md border border-status-danger/30 bg-status-danger-soft p-2 text-status-danger',
        className,
      )}
    >
      {children}
    </p>
  );
}
