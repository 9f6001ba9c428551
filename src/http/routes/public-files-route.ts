import { Router } from "express";
import type { PublicFiles } from "../../app/public-files.js";

/**
 * `GET /files/<token>.png`: serves published images (see PublicFiles) to the platforms that fetch them. Unknown,
 * malformed and expired names are all 404 alike, so nothing can be learnt by probing; there is no listing.
 */
export function publicFilesRouter(files: PublicFiles): Router {
  const router = Router();
  router.get("/files/:name", async (req, res, next) => {
    try {
      const found = await files.resolve(req.params.name);
      if (found === null) {
        res.status(404).json({ error: "not found" });
        return;
      }
      const maxAge = Math.max(0, Math.floor((found.expiresAt.getTime() - Date.now()) / 1000));
      res.setHeader("content-type", found.contentType);
      res.setHeader("cache-control", `private, max-age=${maxAge}`);
      res.setHeader("x-content-type-options", "nosniff");
      res.sendFile(found.path, { dotfiles: "deny", lastModified: false, cacheControl: false }, (error) => {
        if (error && !res.headersSent) res.status(404).json({ error: "not found" });
      });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
