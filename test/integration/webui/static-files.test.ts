import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, expect, it } from 'vitest';
import { staticFiles } from '../../../webui/static-files.ts';

const root = mkdtempSync(join(tmpdir(), 'weft-static-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('serves the UI from a checkout that lives under a dot-directory, still hiding dotfiles inside it', async () => {
  const publicDir = join(root, '.local', 'weft', 'webui', 'public');
  mkdirSync(publicDir, { recursive: true });
  writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>weft</title>');
  writeFileSync(join(publicDir, '.secret'), 'no');
  const app = express().use(staticFiles(publicDir));
  const page = await request(app).get('/').expect(200);
  expect(page.text).toContain('<title>weft</title>');
  await request(app).get('/.secret').expect(404);
});
