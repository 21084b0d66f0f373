/**
 * The public register's pages under /register: open to everyone, no sign-in, no session. Each
 * feature has its own router beside this one; each reads through the public view model
 * (api/public/view-model.ts), as the JSON calls under /v1/public do.
 */
import { Router, type RequestHandler } from 'express';
import { PUBLIC_MAX_AGE_SECONDS, type PublicDeps } from '../../api/public/register';
import { checkpointPages } from './checkpoints';
import { decisionPages } from './decisions';
import { departmentPages } from './departments';
import { statisticsPages } from './statistics';

/** The register's own navigation, on every one of its pages. */
const REGISTER_NAVIGATION = [
  { text: 'Policies and guidance', href: '/register/departments' },
  { text: 'How to appeal', href: '/register/how-to-appeal' },
  { text: 'Decisions', href: '/register/decisions' },
  { text: 'Statistics', href: '/register/statistics' },
  { text: 'Checkpoints', href: '/register/checkpoints' },
];

const registerNavigation: RequestHandler = (req, res, next) => {
  const path = req.originalUrl.split('?')[0];
  res.locals.navigation = REGISTER_NAVIGATION.map(({ text, href }) => ({ text, href, current: path === href || path.startsWith(`${href}/`) }));
  res.set('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
  next();
};

export function registerRoutes(deps: PublicDeps): Router {
  return Router().use(registerNavigation, departmentPages(deps), decisionPages(deps), statisticsPages(deps), checkpointPages(deps));
}
