// Shared by web/tests/run.mjs and web/bench.mjs: starts the demo server on a free port of
// 127.0.0.1 and a headless Chromium (Debian's /usr/bin/chromium through playwright-core) with
// a fresh profile, WebGL through SwiftShader (no GPU in CI), and every background service that
// could reach the network switched off. Debian's Chromium falls back to SwiftShader WebGL even
// without the --use-angle/--enable-unsafe-swiftshader flags (checked: the renderer string is
// "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))" either way); the flags keep it so
// in Chromium versions that drop the silent fallback.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const buildDir = path.resolve(process.env.FACET_BUILD || path.join(repo, 'build'));
export const webDir = path.resolve(process.env.FACET_WEB_DIR || path.join(buildDir, 'web'));
export const corpus = path.resolve(process.env.FACET_CORPUS || path.join(repo, '..', 'shared', 'corpus'));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function startAll() {
  process.env.FACET_WEB_DIR = webDir;
  const { startServer } = await import('../serve.mjs');
  const server = await startServer(0);
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1200, height: 800 },
  });
  const stop = async () => {
    await context.close().catch(() => {});
    await new Promise((r) => server.close(r));
    server.closeAllConnections?.();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { server, baseUrl, context, stop };
}
