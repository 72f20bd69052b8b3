import type { SettingsTable } from '../../store/assistants-store';

const OFFSET_KEY = 'clock_offset_ms';
const TIME_SCALE_KEY = 'time_scale';

/** The time scale every part of the lifecycle reads (2: every delay half as long); the clock keeps it current. */
export interface TimeScale {
  timeScale: number;
}

/**
 * Emulator time = the wall clock + an offset that only grows (the admin clock route advances it), and the time scale.
 * Both live in the database's settings, so a restart keeps the emulator's idea of "now" (every due time stays
 * meaningful) and every instance on one database agrees: an instance's change is written at once, and the others
 * read it at their next `refresh`.
 */
export class EmulatorClock {
  private constructor(
    private readonly settings: SettingsTable,
    private readonly wallClock: () => number,
    private offsetMs: number,
    private readonly scale: TimeScale,
  ) {}

  /**
   * The clock with the offset stored by the last run of the server (or by the other instances). `scale` is the
   * object the lifecycle reads the time scale from; `refresh` and `setTimeScale` keep it current.
   */
  static async load(
    settings: SettingsTable,
    wallClock: () => number,
    scale: TimeScale = { timeScale: 1 },
  ): Promise<EmulatorClock> {
    return new EmulatorClock(settings, wallClock, Number((await settings.get(OFFSET_KEY)) ?? 0), scale);
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

  /** Moves emulator time forward for every instance (an increment in the database: two advances both count). */
  async advance(seconds: number): Promise<void> {
    this.offsetMs = await this.settings.increment(OFFSET_KEY, Math.round(seconds * 1000));
  }

  /** This instance's time scale becomes every instance's (at start, and from the admin route). */
  async setTimeScale(timeScale: number): Promise<void> {
    this.scale.timeScale = timeScale;
    await this.settings.set(TIME_SCALE_KEY, String(timeScale));
  }

  /** Reads what another instance may have changed (the offset, the time scale). True when either moved. */
  async refresh(): Promise<boolean> {
    const [offset, scale] = await Promise.all([
      this.settings.get(OFFSET_KEY),
      this.settings.get(TIME_SCALE_KEY),
    ]);
    const offsetMs = Number(offset ?? 0);
    const timeScale = scale === null ? this.scale.timeScale : Number(scale);
    const changed = offsetMs !== this.offsetMs || timeScale !== this.scale.timeScale;
    // The offset only grows: a read older than this instance's own advance never moves it back.
    this.offsetMs = Math.max(this.offsetMs, offsetMs);
    if (Number.isFinite(timeScale) && timeScale > 0) this.scale.timeScale = timeScale;
    return changed;
  }
}
