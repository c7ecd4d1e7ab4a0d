/** Serves the built dashboard (or Vite's dev middleware) with a single-page-app fallback. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';

export function staticClient(distDir: string): Router {
  const router = Router();
  const index = path.join(distDir, 'index.html');
  // Hashed assets never change under the same name: cache them for a year; index.html never.
  router.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(distDir, { index: false, maxAge: 0 }));
  const fallback: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard has not been built yet. Run "npm start" (it builds it) or "npm run build".');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  router.use(fallback);
  return router;
}
