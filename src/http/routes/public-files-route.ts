import { Router, type Request, type Response, type NextFunction } from "express";
import { safeDownloadName, type PublicFiles } from "../../app/public-files.js";

/**
 * `GET /files/<token>.<ext>` and `GET /files/<token>.<ext>/<download name>`: serves published files (see
 * PublicFiles) to the platforms and people that fetch them. Unknown, malformed and expired names are all 404 alike,
 * so nothing can be learnt by probing; there is no listing. Images are shown inline; anything else, or any file
 * asked for under a download name, is an attachment.
 */
export function publicFilesRouter(files: PublicFiles): Router {
  const router = Router();
  const notFound = (res: Response): void => {
    res.status(404).json({ error: "not found" });
  };

  const serve = async (req: Request<{ name: string; download?: string }>, res: Response, next: NextFunction): Promise<void> => {
    try {
      const found = await files.resolve(req.params.name);
      if (found === null) return notFound(res);
      const download = req.params.download;
      if (download !== undefined && safeDownloadName(download, found.extension) !== download) return notFound(res);
      const maxAge = Math.max(0, Math.floor((found.expiresAt.getTime() - Date.now()) / 1000));
      res.setHeader("content-type", found.contentType);
      res.setHeader("cache-control", `private, max-age=${maxAge}`);
      res.setHeader("x-content-type-options", "nosniff");
      if (download !== undefined || !found.contentType.startsWith("image/")) {
        const name = download ?? req.params.name;
        const ascii = name.normalize("NFD").replace(/[^\x20-\x7e]/g, "").replace(/"/g, "") || `file.${found.extension}`;
        res.setHeader("content-disposition", `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      }
      res.sendFile(found.path, { dotfiles: "deny", lastModified: false, cacheControl: false }, (error) => {
        if (error && !res.headersSent) notFound(res);
      });
    } catch (error) {
      next(error);
    }
  };

  router.get("/files/:name", serve);
  router.get("/files/:name/:download", serve);
  return router;
}
