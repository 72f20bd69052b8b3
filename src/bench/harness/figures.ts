/** One measured figure of the report, beside its target and, where the bench measured one, the naive alternative. */
export interface Figure {
  /** The report section: bundle, dashboard scale, polling, emulator, proxy, load. */
  group: string;
  name: string;
  /** null when the measurement could not be taken (the reason goes in `notes`). */
  value: number | null;
  unit: string;
  target?: Target;
  naive?: { label: string; value: number };
  /** How the figure was taken (sample count, percentiles, method). */
  detail?: string;
  /** Why a budget is missed: what was tried and what limits it. Also used for caveats on met figures. */
  notes?: string;
}

export interface Target {
  comparison: '<=' | '>=';
  value: number;
}

export type Verdict = 'met' | 'missed' | 'not measured' | 'info';

export function verdictOf(figure: Figure): Verdict {
  if (!figure.target) return 'info';
  if (figure.value === null) return 'not measured';
  const { comparison, value } = figure.target;
  return (comparison === '<=' ? figure.value <= value : figure.value >= value) ? 'met' : 'missed';
}

/** A group's figures, or the error that stopped it: one failing group must not lose the others. */
export interface GroupResult {
  group: string;
  figures: Figure[];
  error?: string;
  durationMs: number;
}
