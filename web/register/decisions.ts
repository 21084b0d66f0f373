import { Router } from 'express';
import type { PublicDeps } from '../../api/public/register';

export function decisionPages(_deps: PublicDeps): Router {
  return Router();
}
