import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure, GroupResult } from './harness/figures';
import { verdictOf } from './harness/figures';

export interface BenchReport {
  generatedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    chromium: string;
    platform: string;
  };
  quick: boolean;
  totalSeconds: number;
  groups: GroupResult[];
}

const VERDICT_MARK = {
  met: 'met',
  missed: '**MISSED**',
  'not measured': '**NOT MEASURED**',
  info: '',
} as const;

/** Writes report.json (every figure with its verdict) and report.md (the same, as tables) into `dir`. */
export function writeReport(dir: string, report: BenchReport): { markdown: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const markdown = join(dir, 'report.md');
  const withVerdicts = {
    ...report,
    groups: report.groups.map((group) => ({
      ...group,
      figures: group.figures.map((figure) => ({ ...figure, verdict: verdictOf(figure) })),
    })),
  };
  writeFileSync(json, `${JSON.stringify(withVerdicts, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report));
  return { markdown, json };
}

export function renderMarkdown(report: BenchReport): string {
  const figures = report.groups.flatMap((group) => group.figures);
  const budgets = figures.filter((figure) => figure.target);
  const missed = budgets.filter((figure) => verdictOf(figure) !== 'met');
  const { machine } = report;
  const lines = [
    '# Runboard benchmark report',
    '',
    `Generated ${report.generatedAt} by \`npm run bench\`${report.quick ? ' (BENCH_QUICK: shortened windows, figures are rough)' : ''} in ${Math.round(report.totalSeconds)} s.`,
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}; Node ${machine.node}; Chromium ${machine.chromium} (headless).`,
    '',
    `**Budgets: ${budgets.length - missed.length} of ${budgets.length} met.**` +
      (missed.length
        ? ` Missed or not measured: ${missed.map((figure) => `${figure.group}: ${figure.name}`).join('; ')}.`
        : ''),
    '',
    'Timings are measured, not asserted: they vary with the machine. The bundle budget is deterministic and enforced by `npm run test:bundle`.',
    '',
  ];
  for (const group of report.groups) {
    lines.push(`## ${group.group}`, '');
    if (group.error) lines.push(`**This group stopped with an error:** ${escapeCell(group.error)}`, '');
    if (group.figures.length > 0) {
      lines.push(
        '| Figure | Measured | Target | Naive alternative or baseline (same run); ratio = it ÷ measured | Verdict | How / Notes |',
      );
      lines.push('| --- | --- | --- | --- | --- | --- |');
      for (const figure of group.figures) lines.push(row(figure));
      lines.push('');
    }
    lines.push(`_${Math.round(group.durationMs / 1000)} s_`, '');
  }
  return `${lines.join('\n')}\n`;
}

function row(figure: Figure): string {
  const measured = figure.value === null ? '—' : `${formatNumber(figure.value)} ${figure.unit}`;
  const target = figure.target
    ? `${figure.target.comparison === '<=' ? '≤' : '≥'} ${formatNumber(figure.target.value)} ${figure.unit}`
    : '—';
  let naive = '—';
  if (figure.naive) {
    naive = `${formatNumber(figure.naive.value)} ${figure.unit} (${figure.naive.label})`;
    if (figure.value !== null && figure.value > 0) {
      naive += `; ratio ${formatNumber(Math.round((figure.naive.value / figure.value) * 100) / 100)}`;
    }
  }
  const how = [figure.detail, figure.notes ? `**Notes:** ${figure.notes}` : null]
    .filter(Boolean)
    .join('<br>');
  return `| ${escapeCell(figure.name)} | ${measured} | ${target} | ${escapeCell(naive)} | ${VERDICT_MARK[verdictOf(figure)]} | ${escapeCell(how)} |`;
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
