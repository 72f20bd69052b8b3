import { useQuery } from '@tanstack/react-query';
import type { Run } from '../../../shared/openai-types';
import { configQueries } from '../../api/config-queries';
import { CopyButton } from '../../ui/copy-button';
import { runCurlActions } from './curl-command';

/** The run and each action on it as a cURL command against this server, to copy into a terminal. */
export function RunCurlSection({ run }: { run: Run }) {
  const config = useQuery(configQueries.config());
  const actions = runCurlActions(run, window.location.origin, config.data?.tokenRequired ?? false);
  return (
    <section aria-label="Copy as cURL" className="border-b border-line px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Copy as cURL</h3>
      <ul className="flex flex-col gap-1.5">
        {actions.map((action) => (
          <li key={action.label} aria-label={action.label} className="text-xs">
            <div className="flex items-center gap-1">
              <span className="font-medium">{action.label}</span>
              <CopyButton value={action.command} label="Copy this cURL command" />
            </div>
            <pre
              tabIndex={0}
              aria-label={`cURL: ${action.label}`}
              className="overflow-x-auto rounded bg-raised p-1 font-mono text-[11px] text-muted"
            >
              {action.command}
            </pre>
          </li>
        ))}
      </ul>
    </section>
  );
}
