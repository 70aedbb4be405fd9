import http from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { ResourceManagerGateway } from '../protocol/resource-manager-gateway.ts';
import { TASK_EXECUTOR_FILES } from '../taskexecutor/task-executor-server.ts';
import { isPlainFileName } from '../../rm/common/log-files.ts';
import { mountLogDirectory, type LogDirectory } from './log-directory.ts';

/** How long a TaskManager may take to start answering for one of its files. */
const RELAY_TIMEOUT_MS = 15_000;

/**
 * Flink's log endpoints (flink.md §6.2; the file handlers outside the REST snapshot):
 * `/jobmanager/logs|log|stdout|logs/:filename` from the JobManager's own log directory, and the
 * same four under `/taskmanagers/:taskmanagerid/`, relayed from that TaskManager's RPC port (where
 * Flink has the TaskExecutor upload the file to the JobManager's blob server first).
 */
export function logFileRoutes(options: { readonly jobManagerLogs: LogDirectory; readonly resourceManager: ResourceManagerGateway }): Router {
  const router = Router();
  mountLogDirectory(router, '/jobmanager', options.jobManagerLogs, () => 'This file does not exist in JobManager log dir.');

  const relay = (req: Request, res: Response, rest: string): void => {
    const id = String(req.params.taskmanagerid);
    const tm = options.resourceManager.taskManagers().find((t) => t.resourceId === id);
    if (!tm) {
      res.status(404).json({ errors: [`Could not find TaskExecutor ${id}.`] });
      return;
    }
    const url = new URL(`${TASK_EXECUTOR_FILES}${rest}`, tm.location.address);
    const upstream = http.get(url, { timeout: RELAY_TIMEOUT_MS }, (up) => {
      res.status(up.statusCode ?? 502);
      const type = up.headers['content-type'];
      if (type) res.setHeader('Content-Type', type);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      up.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error(`no answer in ${RELAY_TIMEOUT_MS} ms`)));
    upstream.on('error', (err) => {
      if (!res.headersSent) res.status(502).json({ errors: [`TaskExecutor ${id} at ${tm.location.address} did not send the file: ${err.message}`] });
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
  };
  router.get('/taskmanagers/:taskmanagerid/logs', (req, res) => relay(req, res, '/logs'));
  router.get('/taskmanagers/:taskmanagerid/log', (req, res) => relay(req, res, '/log'));
  router.get('/taskmanagers/:taskmanagerid/stdout', (req, res) => relay(req, res, '/stdout'));
  router.get('/taskmanagers/:taskmanagerid/logs/:filename', (req, res) => {
    const name = String(req.params.filename);
    if (!isPlainFileName(name)) {
      res.status(400).json({ errors: [`Invalid log file name: ${JSON.stringify(name)}`] });
      return;
    }
    relay(req, res, `/logs/${encodeURIComponent(name)}`);
  });
  return router;
}
