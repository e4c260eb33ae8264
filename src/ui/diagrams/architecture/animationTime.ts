/**
 * AnimationTime — the wall time the architecture diagram animates on, standing still while the cluster's
 * clock is paused: pausing freezes the dots where they are, and playing resumes them from there.
 */
export class AnimationTime {
  private offset = 0;
  private pausedAt: number | undefined;

  /** Animation time at wall time `wall` (ms). */
  now(wall: number): number {
    return (this.pausedAt ?? wall) - this.offset;
  }

  setPaused(paused: boolean, wall: number): void {
    if (paused && this.pausedAt === undefined) this.pausedAt = wall;
    else if (!paused && this.pausedAt !== undefined) {
      this.offset += wall - this.pausedAt;
      this.pausedAt = undefined;
    }
  }
}
