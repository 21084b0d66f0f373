import net from 'node:net';

/** True when nothing listens on `port` (checked on every interface, the strictest test). */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now (listen on port 0, read it, close). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the port the OS gave'))));
    });
  });
}

export interface PortNeed {
  port: number;
  /** What would listen there, e.g. "the API". */
  what: string;
  /** How to pick another one, e.g. "set PORT=3001". */
  howToChange: string;
}

/** The first of `needs` whose port is taken, or undefined when all are free. */
export async function firstTakenPort(needs: PortNeed[]): Promise<PortNeed | undefined> {
  const free = await Promise.all(needs.map((need) => isPortFree(need.port)));
  return needs.find((_, index) => !free[index]);
}
