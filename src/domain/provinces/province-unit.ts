import { z } from "zod";

/**
 * One provincial-level unit (tỉnh, thành phố trực thuộc trung ương). `formerly` lists the units merged into it, whose
 * names still appear in people's habits and in older data; `aliases` other common ways of writing its name.
 */
export const provinceUnitSchema = z.strictObject({
  name: z.string().trim().min(1),
  kind: z.enum(["city", "province"]),
  formerly: z.array(z.string().trim().min(1)),
  aliases: z.array(z.string().trim().min(1)),
});

export type ProvinceUnit = z.infer<typeof provinceUnitSchema>;

export const provinceListSchema = z.array(provinceUnitSchema).min(1);
