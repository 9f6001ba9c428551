import type { Db } from "./db-client.js";
import { ensureShippedDefinitions, type ShippedDefinitionsReport } from "./definition-store.js";
import { ensureProvinces, type ProvinceSeedReport } from "./province-seed.js";

export interface SeedReport {
  readonly provinces: ProvinceSeedReport;
  readonly definitions: ShippedDefinitionsReport;
}

/**
 * What every database must hold before anyone uses it: the 34 provincial-level units and the definitions shipped with
 * this version. Called once by whoever starts work on a database (the service, each command), after opening it;
 * opening a connection writes nothing. Cheap when done: a read of each.
 */
export async function seed(db: Db): Promise<SeedReport> {
  const provinces = await ensureProvinces(db);
  const definitions = await ensureShippedDefinitions(db);
  return { provinces, definitions };
}
