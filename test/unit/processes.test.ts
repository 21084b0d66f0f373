import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { describeExit, exitOf, spawnChild, spawnPrefixed } from '../../scripts/lib/processes';

describe('child processes of npm start', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-appeals-processes-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('a program that cannot be run is an exit that says why, not a crash', async () => {
    const notExecutable = path.join(folder, 'initdb');
    fs.writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    for (const program of [notExecutable, path.join(folder, 'missing')]) {
      const exit = await exitOf(spawnChild(program, [], { stdio: 'ignore' }));
      expect(describeExit(exit)).to.match(/^could not be started \(spawn .+ (EACCES|ENOENT)\)$/);
    }
    const prefixed = await exitOf(spawnPrefixed('api', path.join(folder, 'missing'), [], {}));
    expect(describeExit(prefixed)).to.match(/^could not be started \(spawn .+ ENOENT\)$/);
  });

  it('says how a child that ran ended', async () => {
    expect(describeExit(await exitOf(spawnChild('/bin/sh', ['-c', 'exit 3'], { stdio: 'ignore' })))).to.equal('exited with code 3');
    const killed = spawnChild('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore' });
    killed.kill('SIGTERM');
    expect(describeExit(await exitOf(killed))).to.equal('killed by SIGTERM');
  });
});
