import { Router } from 'express';
import type { PublicDeps } from '../../api/public/register';

export function statisticsPages(_deps: PublicDeps): Router {
  return Router();
}
