import { loadavg } from 'node:os';
import { round, summarize } from './stats';

/** What the file-search benches share: made-up text with a natural skew, timing with CPU time, the load. */

export function loadAverage(): string {
  return `load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`;
}

/** Wall time per call, and the CPU time this process spent on it (what the figure would be on an idle machine). */
export class Timing {
  readonly wallMs: number[] = [];
  readonly cpuMs: number[] = [];

  async time<T>(call: () => Promise<T>): Promise<T> {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await call();
    this.wallMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    this.cpuMs.push((used.user + used.system) / 1000);
    return result;
  }

  cpu(): string {
    const summary = summarize(this.cpuMs);
    return `CPU time p50 ${round(summary.p50 ?? 0)} ms, p95 ${round(summary.p95 ?? 0)} ms`;
  }
}

/** 4,000 made-up words plus English's commonest, drawn with a Zipf-like skew as real text is. */
export function vocabulary(random: () => number): string[] {
  const common =
    'the of and to a in is that for it as was with be by on not he this are or his from at which but'.split(
      ' ',
    );
  const syllables = [
    'ka',
    'lo',
    'mi',
    'ren',
    'tu',
    'sha',
    'vo',
    'ne',
    'dri',
    'pal',
    'qu',
    'ix',
    'or',
    'bel',
    'stan',
  ];
  const made = Array.from({ length: 4_000 }, () => {
    const count = 2 + Math.floor(random() * 3);
    return Array.from({ length: count }, () => syllables[Math.floor(random() * syllables.length)]).join('');
  });
  return [...common, ...made];
}

export function sentence(words: readonly string[], random: () => number, length: number): string {
  return Array.from({ length }, () => words[Math.floor(words.length * random() ** 3)]).join(' ');
}
