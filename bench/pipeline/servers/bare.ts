// Plain Express answering the same JSON as /health, with nothing in front: the baseline.
import express from 'express';
import { reportPort } from './report-port.ts';

const app = express();
app.get('/health', (_req, res) => {
  res.json({ status: 'ok', service: 'bare', version: '0.0.0', uptime: process.uptime(), time: new Date().toISOString() });
});
const server = app.listen(0, '127.0.0.1', () => reportPort(server));
