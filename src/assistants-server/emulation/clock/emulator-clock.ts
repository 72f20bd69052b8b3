import type { SettingsTable } from '../../store/assistants-store';

const OFFSET_KEY = 'clock_offset_ms';

/**
 * Emulator time = the wall clock + an offset that only grows (the admin clock route advances it).
 * The offset is stored, so a restart keeps the emulator's idea of "now" and every due time stays meaningful.
 */
export class EmulatorClock {
  private constructor(
    private readonly settings: SettingsTable,
    private readonly wallClock: () => number,
    private offsetMs: number,
  ) {}

  /** The clock with the offset stored by the last run of the server. */
  static async load(settings: SettingsTable, wallClock: () => number): Promise<EmulatorClock> {
    return new EmulatorClock(settings, wallClock, Number((await settings.get(OFFSET_KEY)) ?? 0));
  }

  /** Emulator time in milliseconds. */
  now(): number {
    return this.wallClock() + this.offsetMs;
  }

  /** Emulator time as the Unix seconds the API shows. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  async advance(seconds: number): Promise<void> {
    this.offsetMs += Math.round(seconds * 1000);
    await this.settings.set(OFFSET_KEY, String(this.offsetMs));
  }
}
