import { ConfigError, loadConfig } from "../config.js";
import type { Db, Store } from "../persistence/db-client.js";
import { DatabaseUrlError } from "../persistence/database-url.js";
import { UnknownProvinceError } from "../persistence/province-store.js";
import { DefinitionConflictError, StoreRefusal } from "../persistence/store-errors.js";
import { UserError } from "../shared/user-error.js";
import { OperatorError, reason, type OperatorText } from "./operator-text.js";

/**
 * Opens (and migrates) the database of DATABASE_URL for one command, always closing it. A bad configuration and a
 * store's refusal (unknown id, duplicate, conflicting definition) become UserErrors: one line each, exit 2.
 */
export async function withDatabase<T>(body: (db: Db, store: Store) => Promise<T>): Promise<T> {
  let database;
  try {
    const url = loadConfig().DATABASE_URL;
    // Loaded here, not at the top: the Prisma clients take a while, and usage errors should not wait for them.
    const { openDatabase } = await import("../persistence/database.js");
    database = await openDatabase(url);
    const { seed } = await import("../persistence/seed.js");
    await seed(database.db);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseUrlError) throw new UserError(error.message);
    throw error;
  }
  try {
    return await body(database.db, database);
  } catch (error) {
    if (error instanceof StoreRefusal) throw refusalError(error);
    throw error;
  } finally {
    await database.close();
  }
}

/** The configuration, with its errors as a UserError (one line per bad variable). */
export function loadCliConfig(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
}

/** A store's refusal in the operator's language where the refusal carries its facts; others keep the store's line. */
function refusalText(error: StoreRefusal): OperatorText {
  if (error instanceof UnknownProvinceError) return reason("operator.admin.province.unknown", { name: error.given.trim(), suggestion: error.suggestion });
  if (error instanceof DefinitionConflictError) return reason("operator.reasons.definitionConflict", { id: error.definitionId });
  return reason("operator.common.lines", { text: error.message });
}

/** A store's refusal as the error a command prints. */
export function refusalError(error: StoreRefusal): OperatorError {
  const text = refusalText(error);
  return new OperatorError(text.key, text.vars);
}

/** For `.catch()`: a store's refusal (of the given kind) about one flag's value, as an error line that names the flag. */
export function asFlagError(flag: string, kind: abstract new (...args: never[]) => StoreRefusal = StoreRefusal): (error: unknown) => never {
  return (error) => {
    if (error instanceof kind) throw new OperatorError("operator.common.flagProblem", { flag, reason: refusalText(error) });
    throw error;
  };
}
