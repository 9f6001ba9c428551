import { DefinitionFileError } from "../definitions/definition-file-error.js";
import { TranslatableUserError, type UserError } from "../shared/user-error.js";
import { definitionProblemLines } from "./definition-problem-text.js";
import { OperatorError, type Tr } from "./operator-text.js";

/** Translates any user error: operator keys and a definition file's known rules in the chosen language, other lines as they are. */
export function userErrorText(error: UserError, t: Tr): string {
  if (error instanceof DefinitionFileError) return definitionProblemLines(error, t).join("\n");
  return error instanceof OperatorError || error instanceof TranslatableUserError ? t(error.key, error.vars) : error.message;
}
