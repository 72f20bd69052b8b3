import type { Run, RunToolCall, ToolOutput, Usage } from '../../shared/openai-types';
import type { RunExecutorKind } from '../../shared/runboard-types';
import type { Scenario } from '../emulation/scripted-runs/scenarios';

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
  /** Who carries the run out; absent on runs stored before executors existed (scripted). */
  executor?: RunExecutorKind;
  /** Model runs: the upstream model, and the usage summed over the run's model calls so far. */
  model?: ModelRunState;
}

export interface ModelRunState {
  upstreamModel: string;
  usage: Usage;
  /** Model calls answered so far (turns, not attempts). */
  turns: number;
  /** The usage of the model call that asked for the pending tool calls: its step carries it once answered. */
  toolCallsUsage: Usage | null;
  /** Turns that called the file_search tool (absent on runs stored before it existed: none). */
  searchTurns?: number;
}

export interface RunRecord {
  run: Run;
  internal: RunInternal;
  schedule: Schedule | null;
}
