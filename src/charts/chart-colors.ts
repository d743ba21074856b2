import type { ProgressStatus } from "../assessment/progress-status.js";

/** One colour per status, shared by the web board and the charts (green = fine, amber/red = behind). */
export const STATUS_COLORS: Record<ProgressStatus, string> = {
  exceeded: "#1a7f37",
  on_track: "#2da44e",
  behind: "#d4a72c",
  severely_behind: "#cf222e",
  not_submitted: "#8c959f",
  no_target: "#afb8c1",
};

export const TIME_PROGRESS_COLOR = "#0969da";
