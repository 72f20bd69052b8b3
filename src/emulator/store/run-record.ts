import type { Run, RunToolCall, ToolOutput } from '../../shared/openai-types';
import type { Scenario } from '../lifecycle/scenarios';

/** The lifecycle's next move for a run; `due_at` says when (emulator time, ms). */
export type Transition = 'start' | 'finish' | 'expire' | 'cancel';

export interface Schedule {
  transition: Transition;
  dueAt: number;
}

/** What the emulator keeps about a run besides its wire object. */
export interface RunInternal {
  /** Fixed when the run is created, from the run's or the assistant's `runboard_scenario` metadata. */
  scenario: Scenario | null;
  /** The calls the run asks for when it reaches requires_action; empty when it answers directly. */
  plannedToolCalls: RunToolCall[];
  toolOutputs: ToolOutput[] | null;
  toolCallsStepId: string | null;
  /** Prompt size in tokens, counted when the run starts. */
  promptTokens: number;
}

export interface RunRecord {
  run: Run;
  internal: RunInternal;
  schedule: Schedule | null;
}
