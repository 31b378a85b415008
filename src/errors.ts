// Run-level failures: the only errors that end a command with a non-zero exit. Each has its own
// exit code and a hint telling the user what to do. Data problems are never thrown: they are
// Issues on records or Failures in a batch.

export const EXIT_CODES = {
  ok: 0,
  usage: 2,
  inputNotFound: 3,
  nothingRead: 4,
  converterMissing: 10,
  converterFailed: 11,
  templateInvalid: 12,
  badDataFile: 13,
  ocrModelMissing: 14,
  storeFailed: 15,
  noAccount: 16,
  backupFailed: 17,
  internal: 70,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

export class RunError extends Error {
  readonly exit: ExitCodeName;
  readonly hint: string;
  constructor(exit: ExitCodeName, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunError';
    this.exit = exit;
    this.hint = hint;
  }
}
