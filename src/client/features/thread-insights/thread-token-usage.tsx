import type { RunUsageSummary } from '../../../shared/runs-query-types';
import { formatTokens } from '../../lib/format-tokens';

/** Tokens summed by the server over every run of the thread, then per model. */
export function ThreadTokenUsage({ usage }: { usage: RunUsageSummary }) {
  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs">
        <span className="text-lg font-semibold tabular-nums">{formatTokens(usage.total_tokens)}</span> tokens
        in total
        <span className="text-muted">
          {' '}
          · {formatTokens(usage.prompt_tokens)} prompt · {formatTokens(usage.completion_tokens)} completion ·
          from {usage.runs_with_usage.toLocaleString('en')} of {usage.runs.toLocaleString('en')} run
          {usage.runs === 1 ? '' : 's'}
          {usage.runs_with_usage < usage.runs && ' (the others have no usage yet, or none)'}
        </span>
      </p>
      <table aria-label="Tokens per model" className="w-full text-xs tabular-nums">
        <thead className="text-left text-muted">
          <tr>
            <th className="py-1 font-medium">Model</th>
            <th className="py-1 pl-3 text-right font-medium">Runs with usage</th>
            <th className="py-1 pl-3 text-right font-medium">Prompt</th>
            <th className="py-1 pl-3 text-right font-medium">Completion</th>
            <th className="py-1 pl-3 text-right font-medium">Total</th>
          </tr>
        </thead>
        <tbody>
          {usage.by_model.map((row) => (
            <tr key={row.model} className="border-t border-line">
              <td className="py-1 font-mono break-all">{row.model}</td>
              <td className="py-1 pl-3 text-right">{row.runs_with_usage.toLocaleString('en')}</td>
              <td className="py-1 pl-3 text-right">{formatTokens(row.prompt_tokens)}</td>
              <td className="py-1 pl-3 text-right">{formatTokens(row.completion_tokens)}</td>
              <td className="py-1 pl-3 text-right font-semibold">{formatTokens(row.total_tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
