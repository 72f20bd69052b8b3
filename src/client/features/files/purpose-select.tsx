import { useId } from 'react';
import type { FilePurpose } from '../../../shared/openai-types';
import { FILE_PURPOSES } from '../../../shared/openai-types';
import { cx } from '../../ui/cx';
import { fieldClass } from '../../ui/form-field';

/** A labelled select of the file purposes OpenAI takes; `anyLabel` adds a first choice for none (a filter's "all"). */
export function PurposeSelect<Value extends FilePurpose | null>({
  label,
  value,
  anyLabel,
  disabled,
  className,
  onChange,
}: {
  label: string;
  value: Value;
  anyLabel?: string;
  disabled?: boolean;
  className?: string;
  onChange: (purpose: Value) => void;
}) {
  const id = useId();
  return (
    <span className={cx('flex gap-1 text-xs', className)}>
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <select
        id={id}
        value={value ?? ''}
        disabled={disabled}
        onChange={(event) => onChange((event.target.value || null) as Value)}
        className={`${fieldClass} h-7`}
      >
        {anyLabel && <option value="">{anyLabel}</option>}
        {FILE_PURPOSES.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </span>
  );
}
