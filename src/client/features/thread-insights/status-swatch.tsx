import type { RunStatus } from '../../../shared/openai-types';
import { statusFillStyle, statusLabel } from '../../ui/status-badge';

/** A chart legend's entry: the status's colour beside its label (charts never rely on colour alone). */
export function StatusSwatch({ status }: { status: RunStatus }) {
  return (
    <>
      <span aria-hidden="true" className="inline-block size-2.5 rounded-sm" style={statusFillStyle(status)} />
      {statusLabel(status)}
    </>
  );
}
