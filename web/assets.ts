import path from 'node:path';
import express, { Router } from 'express';

const root = path.resolve(__dirname, '..');
const govuk = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk');
const moj = path.join(root, 'node_modules', '@ministryofjustice', 'frontend', 'moj');

/** The files of each stylesheet and script the layout links, by their name under /assets. */
const FILES: Record<string, string> = {
  'govuk-frontend.min.css': path.join(govuk, 'govuk-frontend.min.css'),
  'govuk-frontend.min.js': path.join(govuk, 'govuk-frontend.min.js'),
  'moj-frontend.min.css': path.join(moj, 'moj-frontend.min.css'),
  'moj-frontend.min.js': path.join(moj, 'moj-frontend.min.js'),
};

const CACHE = { maxAge: '1h', index: false, fallthrough: true } as const;

/**
 * /assets: GOV.UK Frontend's and MOJ Frontend's CSS, JS, fonts and images straight from
 * node_modules (their CSS asks for /assets/fonts and /assets/images), and the service's own
 * files from web/public. No CDN.
 */
export function assetRoutes(): Router {
  const router = Router();
  for (const [name, file] of Object.entries(FILES)) router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1h' }));
  router.use(express.static(path.join(__dirname, 'public'), CACHE));
  router.use(express.static(path.join(govuk, 'assets'), CACHE));
  router.use(express.static(path.join(moj, 'assets'), CACHE));
  return router;
}
