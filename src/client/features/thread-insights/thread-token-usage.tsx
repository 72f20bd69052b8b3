import { formatTokens } from '../../lib/format-tokens';
import type { ModelTokens, TokenTotals } from './thread-insights';

/** Tokens summed over the thread's loaded runs, then per model. */
export function ThreadTokenUsage({ totals, byModel }: { totals: TokenTotals; byModel: ModelTokens[] }) {
  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs">
        <span className="text-lg font-semibold tabular-nums">{formatTokens(totals.total)}</span> tokens in
        total
        <span className="text-muted">
          {' '}
          · {formatTokens(totals.prompt)} prompt · {formatTokens(totals.completion)} completion · from{' '}
          {totals.runsWithUsage} run{totals.runsWithUsage === 1 ? '' : 's'} with usage
        </span>
      </p>
      <table aria-label="Tokens per model" className="w-full text-xs tabular-nums">
        <thead className="text-left text-muted">
          <tr>
            <th className="py-1 font-medium">Model</th>
            <th className="py-1 text-right font-medium">Runs with usage</th>
            <th className="py-1 text-right font-medium">Prompt</th>
            <th className="py-1 text-right font-medium">Completion</th>
            <th className="py-1 text-right font-medium">Total</th>
          </tr>
        </thead>
        <tbody>
          {byModel.map((row) => (
            <tr key={row.model} className="border-t border-line">
              <td className="py-1 font-mono">{row.model}</td>
              <td className="py-1 text-right">{row.runsWithUsage}</td>
              <td className="py-1 text-right">{formatTokens(row.prompt)}</td>
              <td className="py-1 text-right">{formatTokens(row.completion)}</td>
              <td className="py-1 text-right font-semibold">{formatTokens(row.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
