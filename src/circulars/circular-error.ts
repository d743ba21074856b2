export type CircularErrorCode =
  | "no_programme"
  | "not_found"
  | "unknown_contact"
  | "not_task_force"
  | "wrong_status"
  | "no_groups";

/** A refusal the user should read (Chinese message); the CLI prints it, chat replies with it. */
export class CircularError extends Error {
  constructor(
    readonly code: CircularErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CircularError";
  }
}
