import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../../runtime/dispatcher/blob-store.ts';
import { BLOB_PATH } from '../../../../runtime/protocol/blob.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A blob store where `npm start` puts it: under a `.weft` state dir. */
function storeUnderDotDir(): BlobStore {
  const root = mkdtempSync(join(tmpdir(), 'weft-blob-'));
  roots.push(root);
  const dir = join(root, '.weft', 'nm-0', 'usercache', 'blobs');
  mkdirSync(dir, { recursive: true });
  return new BlobStore(dir);
}

describe('the blob endpoint', () => {
  it('serves a job file stored under a .weft state dir byte for byte', async () => {
    const store = storeUnderDotDir();
    const bytes = Buffer.from('export default function job() {}\n');
    const entry = store.put('job.mjs', bytes);
    const app = express().get(BLOB_PATH, store.handler());
    const res = await request(app).get(`/rpc/blob/${entry.blobKey}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
  });

  it('answers 404 for an unknown or malformed key', async () => {
    const store = storeUnderDotDir();
    const app = express().get(BLOB_PATH, store.handler());
    await request(app).get(`/rpc/blob/${'0'.repeat(64)}_missing.mjs`).expect(404);
    await request(app).get('/rpc/blob/..%2Fpackage.json').expect(404);
  });
});
