/**
 * A real S3-compatible server for the tests: gofakes3 (github.com/johannesboyne/gofakes3, in
 * memory), built once with Go from the module proxy into the per-user cache
 * (${XDG_CACHE_HOME:-~/.cache}/mutuals-appeals/gofakes3/<version>/fakes3), as the Temporal CLI is,
 * then started on a free port of 127.0.0.1 per test file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../scripts/lib/ports';
import { spawnCollecting, waitUntil } from './processes';

const VERSION = 'v1.2.0';

/** The whole server: gofakes3's handler on the address given. */
const MAIN_GO = `package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "listen address")
	flag.Parse()
	faker := gofakes3.New(s3mem.New())
	log.Printf("fakes3 listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, faker.Server()))
}
`;

const GO_MOD = `module mutualsappeals/fakes3

go 1.21

require github.com/johannesboyne/gofakes3 ${VERSION}
`;

export interface FakeS3 {
  endpoint: string;
  stop(): Promise<void>;
}

function cacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mutuals-appeals', 'gofakes3', VERSION);
}

function findGo(): string {
  const candidates = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'go')), '/usr/local/go/bin/go'];
  const go = candidates.find((file) => fs.existsSync(file));
  if (!go) throw new Error('Go is not installed: the S3 tests build their server (gofakes3) with it once; install Go 1.21+');
  return go;
}

/** The cached server binary, built first if it is not there (a staging folder renamed into place, so a half-built one is never found). */
export async function ensureFakeS3(): Promise<string> {
  const binary = path.join(cacheDir(), 'fakes3');
  if (fs.existsSync(binary)) return binary;
  const staging = fs.mkdtempSync(path.join(path.dirname(cacheDir()), `.build-${VERSION}-`));
  try {
    fs.writeFileSync(path.join(staging, 'main.go'), MAIN_GO);
    fs.writeFileSync(path.join(staging, 'go.mod'), GO_MOD);
    const build = spawnCollecting(findGo(), ['build', '-o', 'fakes3', '.'], { cwd: staging, env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' } });
    const { code } = await build.exit(600_000);
    if (code !== 0) throw new Error(`building gofakes3 ${VERSION} failed (exit ${code}):\n${build.output()}`);
    fs.mkdirSync(cacheDir(), { recursive: true });
    fs.renameSync(path.join(staging, 'fakes3'), binary);
    return binary;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Start the server on a free port; the tests create their bucket. */
export async function startFakeS3(): Promise<FakeS3> {
  fs.mkdirSync(path.dirname(cacheDir()), { recursive: true });
  const binary = await ensureFakeS3();
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = spawnCollecting(binary, ['-addr', `127.0.0.1:${port}`], {});
  const stop = async () => {
    server.signal('SIGTERM');
    await server.exit(15_000);
  };
  const answers = () =>
    fetch(endpoint).then(
      (response) => response.ok,
      () => false,
    );
  try {
    await waitUntil(`gofakes3 answering on ${endpoint}`, answers, 30_000, () => server.exited());
  } catch (error) {
    await stop().catch(() => undefined);
    throw new Error(`gofakes3 did not start: ${(error as Error).message}; its output:\n${server.output()}`, { cause: error });
  }
  return { endpoint, stop };
}
