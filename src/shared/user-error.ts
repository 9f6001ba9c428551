/**
 * A mistake by the person running a command or writing a file: one line on stderr, exit 2, never a stack trace
 * (docs/operator-commands.md). Anything else that escapes a command is a bug and exits 1 with the stack.
 * It lives below every layer so that file loaders (definitions, periods) can throw it without importing the CLI.
 */
export class UserError extends Error {
  override name = "UserError";
}

/**
 * A user error that names its operator text (a key and its values), so a command prints it in the operator's language;
 * its message is the English line, for callers that print no translation.
 */
export class TranslatableUserError extends UserError {
  override name = "TranslatableUserError";
  constructor(
    readonly key: string,
    readonly vars: Readonly<Record<string, string>>,
    english: string,
  ) {
    super(english);
  }
}
