import { notFound } from '../../api-error';
import { mulberry32 } from './fault-random';
import { parseFaultRule, pathMatches, type FaultRule } from './fault-rule';
import { excerpt } from '../../../platform/request-input';

export const DEFAULT_FAULT_SEED = 1;

interface ActiveRule {
  rule: FaultRule;
  random: () => number;
}

/** The fault rules in force (in memory: a restart starts from `RUNBOARD_FAULTS` again). */
export class FaultRegistry {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  constructor(
    readonly defaultSeed: number = DEFAULT_FAULT_SEED,
    initialRules: readonly unknown[] = [],
  ) {
    for (const input of initialRules) this.add(input);
  }

  list(): FaultRule[] {
    return this.rules.map(({ rule }) => ({ ...rule }));
  }

  add(input: unknown): FaultRule {
    const rule = parseFaultRule(input, `fault_${this.nextId}`, this.defaultSeed);
    this.nextId++;
    this.rules.push({ rule, random: mulberry32(rule.seed) });
    return { ...rule };
  }

  remove(id: string): void {
    const before = this.rules.length;
    this.rules = this.rules.filter(({ rule }) => rule.id !== id);
    if (this.rules.length === before) throw notFound(`No fault rule found with id '${excerpt(id)}'.`);
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The first rule that matches and, by its probability, hits this request; its count goes down. Each matching
   * rule with a probability below 1 draws from its own generator, so one rule's draws do not shift another's.
   */
  pick(method: string, path: string): FaultRule | null {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.method !== '*' && rule.method !== method.toUpperCase()) continue;
      if (!pathMatches(rule.path, path)) continue;
      if (rule.count !== null && rule.applied >= rule.count) continue;
      if (rule.probability < 1 && active.random() >= rule.probability) continue;
      rule.applied++;
      return { ...rule };
    }
    return null;
  }
}
