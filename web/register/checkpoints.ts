import { Router } from 'express';
import type { PublicDeps } from '../../api/public/register';
import { route } from '../../api/route';
import { listCheckpoints } from '../../db/checkpoints';

const SHOWN = 50;

/** /register/checkpoints: the signed checkpoints, and how anyone can check an appeal against them. */
export function checkpointPages({ dataSource, config }: PublicDeps): Router {
  return Router().get(
    '/checkpoints',
    route(async (_req, res) => {
      const checkpoints = await listCheckpoints(dataSource, { limit: SHOWN });
      res.render('register/checkpoints', { checkpoints, intervalText: intervalText(config.checkpoints.intervalHours), apiExample: 'https://appeals.example.gov.uk' });
    }),
  );
}

const intervalText = (hours: number) => (hours === 24 ? 'day' : hours === 1 ? 'hour' : `${hours.toLocaleString('en-GB')} hours`);
